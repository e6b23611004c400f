/** `/api/admin/*` for the catalogue: organizers create, edit and delete series, events and speakers. */
import express, { type Request } from 'express';
import { EventInput, SeriesInput, SpeakerInput, type EventStatus } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter, Guarded } from '../http/guard.ts';
import type { Auth } from '../auth/services.ts';
import { SlugTakenError } from './collection.ts';
import { checkFileName, PHOTO_MAX_BYTES, storeSpeakerPhoto } from './photos.ts';
import type { CatalogueStore, EventRecord } from './store.ts';

const idParam = (v: unknown) => (typeof v === 'string' && v.length <= 64 ? v : '');

/** The record the `:id` path parameter names, or a 404. */
async function found<T>(collection: { get(id: string): Promise<T | null> }, req: Request, what: string): Promise<T> {
  const record = await collection.get(idParam(req.params.id));
  if (!record) throw new AppError('not_found', `No such ${what}`);
  return record;
}

async function write<T>(auth: Auth, g: Guarded, fn: () => Promise<T>): Promise<T> {
  await auth.limits.catalogueWrite(g.principal!.userId);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SlugTakenError) {
      throw new AppError('conflict', err.message, [{ path: ['slug'], message: 'already used' }]);
    }
    throw err;
  }
}

export interface CatalogueAdminDeps {
  auth: Auth;
  store: CatalogueStore;
  mediaDir: string;
  /**
   * A status change on an existing event goes through the stage (see StageFeature.statusFromAdmin):
   * 'moved' when the stage made it (and stored it), 'save' when the form may store it.
   */
  statusChange?(event: EventRecord, to: EventStatus, check?: 'check'): Promise<'moved' | 'save'>;
}

export function catalogueAdminApi(r: GuardedRouter, d: CatalogueAdminDeps): void {
  const { store, auth } = d;
  const A = 'catalogue:write' as const;

  // Events
  r.route('get', '/admin/events', A, async (_req, res) => {
    res.json({ items: (await store.events.all()).reverse() });
  });
  r.route('post', '/admin/events', A, async (req, res, g) => {
    const input = parseOrThrow(EventInput, req.body, 'event');
    await checkRefs(store, input);
    res.status(201).json(await write(auth, g, () => store.putEvent(input, 'organizer')));
  });
  r.route('get', '/admin/events/:eventId', A, (_req, res, { event }) => void res.json(event), {
    eventParam: 'eventId',
  });
  r.route(
    'put',
    '/admin/events/:eventId',
    A,
    async (req, res, g) => {
      const input = parseOrThrow(EventInput, req.body, 'event');
      await checkRefs(store, input);
      const event = g.event!;
      const change = input.status !== event.status && d.statusChange;
      // Refused transitions change nothing; allowed ones save the other fields, then move the stage.
      const plan = change ? await change(event, input.status, 'check') : 'save';
      const saved = await write(auth, g, () =>
        store.putEvent(plan === 'moved' ? { ...input, status: event.status } : input, 'organizer', event),
      );
      if (plan === 'moved' && change) {
        await change(saved, input.status);
        res.json((await store.events.get(event.id)) ?? saved);
        return;
      }
      res.json(saved);
    },
    { eventParam: 'eventId' },
  );
  r.route(
    'delete',
    '/admin/events/:eventId',
    A,
    async (_req, res, g) => {
      await write(auth, g, () => store.events.remove(g.event!));
      res.status(204).end();
    },
    { eventParam: 'eventId' },
  );

  // Series
  r.route('get', '/admin/series', A, async (_req, res) => void res.json({ items: await store.series.all() }));
  r.route('post', '/admin/series', A, async (req, res, g) => {
    const input = parseOrThrow(SeriesInput, req.body, 'series');
    res.status(201).json(await write(auth, g, () => store.putSeries(input, 'organizer')));
  });
  r.route('get', '/admin/series/:id', A, async (req, res) => {
    const existing = await found(store.series, req, 'series');
    res.json(existing);
  });
  r.route('put', '/admin/series/:id', A, async (req, res, g) => {
    const existing = await found(store.series, req, 'series');
    const input = parseOrThrow(SeriesInput, req.body, 'series');
    res.json(await write(auth, g, () => store.putSeries(input, 'organizer', existing)));
  });
  r.route('delete', '/admin/series/:id', A, async (req, res, g) => {
    const existing = await found(store.series, req, 'series');
    await write(auth, g, () => store.removeSeries(existing));
    res.status(204).end();
  });

  // Speakers
  r.route('get', '/admin/speakers', A, async (_req, res) => void res.json({ items: await store.speakers.all() }));
  r.route('post', '/admin/speakers', A, async (req, res, g) => {
    const input = parseOrThrow(SpeakerInput, req.body, 'speaker');
    // A photo comes only from an upload, never from a URL in the body.
    res.status(201).json(await write(auth, g, () => store.putSpeaker({ ...input, photoUrl: null }, 'organizer')));
  });
  r.route('get', '/admin/speakers/:id', A, async (req, res) => {
    const existing = await found(store.speakers, req, 'speaker');
    res.json(existing);
  });
  r.route('delete', '/admin/speakers/:id/photo', A, async (req, res, g) => {
    const existing = await found(store.speakers, req, 'speaker');
    res.json(await write(auth, g, () => store.setSpeakerPhoto(existing, null)));
  });
  r.route('put', '/admin/speakers/:id', A, async (req, res, g) => {
    const existing = await found(store.speakers, req, 'speaker');
    const input = parseOrThrow(SpeakerInput, req.body, 'speaker');
    res.json(
      await write(auth, g, () => store.putSpeaker({ ...input, photoUrl: existing.photoUrl }, 'organizer', existing)),
    );
  });
  r.route('delete', '/admin/speakers/:id', A, async (req, res, g) => {
    const existing = await found(store.speakers, req, 'speaker');
    await write(auth, g, () => store.removeSpeaker(existing));
    res.status(204).end();
  });
  // The photo is the raw request body (any content type: the bytes decide), at most 5 MB.
  const rawPhoto = express.raw({ type: () => true, limit: PHOTO_MAX_BYTES });
  r.route(
    'post',
    '/admin/speakers/:id/photo',
    A,
    async (req, res, g) => {
      checkFileName(req.get('x-filename'));
      const existing = await found(store.speakers, req, 'speaker');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const photoUrl = await write(auth, g, () => storeSpeakerPhoto(d.mediaDir, existing.id, body));
      res.json(await store.setSpeakerPhoto(existing, photoUrl));
    },
    { body: rawPhoto },
  );
}

async function checkRefs(store: CatalogueStore, input: EventInput): Promise<void> {
  if (input.seriesId && !(await store.series.get(input.seriesId))) {
    throw new AppError('validation_failed', 'Unknown series', [{ path: ['seriesId'], message: 'no such series' }]);
  }
  const found = await store.speakers.getMany(input.speakerIds);
  if (found.length !== new Set(input.speakerIds).size) {
    throw new AppError('validation_failed', 'Unknown speaker', [{ path: ['speakerIds'], message: 'no such speaker' }]);
  }
}
