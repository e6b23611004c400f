/**
 * Recording REST routes:
 *   POST /api/recorder/session                          recorder token → a new segment + LiveKit token
 *   POST /api/recorder/segments/:segment/chunks/:seq    recorder token, body = WebM bytes
 *   GET  /api/admin/events/:eventId/recording           organizer: status, progress, files
 *   PUT  /api/admin/events/:eventId/recording/settings  organizer: { enabled }
 *   POST /api/admin/events/:eventId/recording/process   organizer: run the processing again
 *   GET  /api/events/:slug/recording                    everyone: the files, once ready
 */
import express from 'express';
import {
  ChunkParams,
  RECORDING_LIMITS,
  RecordingSettingsInput,
  type PublicRecording,
  type RecorderSession,
  type RecordingAdminView,
} from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import { mintRecorderToken } from '../stage/tokens.ts';
import type { RecordingService } from './recording.ts';
import type { StoredRecording } from './store.ts';
import { bearer, recordingIdOf, verifyRecorderToken } from './token.ts';
import type { Request } from 'express';
import type { EventRecord } from '../events/store.ts';

export interface RecordingRouteDeps {
  service: RecordingService;
  catalogue: { events: { get(id: string): Promise<EventRecord | null> } };
  livekit: { url: string; apiKey: string; apiSecret: string };
  secret: string;
  now(): Date;
}

const unauthorized = () => new AppError('unauthorized', 'A valid recorder token is required');

export function recordingRoutes(r: GuardedRouter, d: RecordingRouteDeps): void {
  const { service } = d;
  /** One append at a time per segment (a retry can arrive while the first attempt is still writing). */
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return next;
  };

  /** The recording the bearer token is for, checked against its event; refuses unless chunks are taken now. */
  async function recorderRecording(req: Request): Promise<{ rec: StoredRecording; event: EventRecord }> {
    const token = bearer(req.get('authorization'));
    const id = recordingIdOf(token);
    if (!token || !id) throw unauthorized();
    const rec = await service.store.get(id);
    if (!rec || !verifyRecorderToken(d.secret, token, rec.eventId, rec.id)) throw unauthorized();
    const event = await d.catalogue.events.get(rec.eventId);
    if (!event) throw new AppError('not_found', 'The event no longer exists');
    if (!service.enabled) throw new AppError('conflict', 'Recording is switched off on this server');
    const taking =
      (rec.status === 'recording' && event.status === 'live') ||
      (rec.status === 'stopping' && rec.stopDeadline !== null && Date.now() < rec.stopDeadline);
    if (!taking) throw new AppError('conflict', 'The event is not live: no recording is being taken');
    return { rec, event };
  }

  r.route('post', '/recorder/session', 'recording:record', async (req, res) => {
    const { rec, event } = await recorderRecording(req);
    if (rec.status !== 'recording') throw new AppError('conflict', 'The recording is ending');
    const segment = await service.store.newSegment(rec.id, d.now());
    const lk = await mintRecorderToken({
      apiKey: d.livekit.apiKey,
      apiSecret: d.livekit.apiSecret,
      eventId: event.id,
      identity: `recorder-${rec.id}-${segment}`,
    });
    const body: RecorderSession = {
      recordingId: rec.id,
      segment,
      livekit: { url: d.livekit.url, token: lk.token, room: lk.room },
      maxChunkBytes: RECORDING_LIMITS.maxChunkBytes,
    };
    res.json(body);
  });

  r.route(
    'post',
    '/recorder/segments/:segment/chunks/:seq',
    'recording:record',
    async (req, res) => {
      const { rec } = await recorderRecording(req);
      const { segment, seq } = parseOrThrow(ChunkParams, req.params, 'chunk address');
      const data = req.body as unknown;
      if (!Buffer.isBuffer(data) || data.length === 0) throw new AppError('bad_request', 'The chunk is empty');
      if (segment >= rec.segmentCount) throw new AppError('conflict', 'No such segment: open a recorder session first');
      if (segment !== rec.segmentCount - 1) {
        throw new AppError('conflict', 'This segment was superseded by a newer recorder session');
      }
      const result = await serial(`${rec.id}:${segment}`, async () => {
        const state = await service.store.segment(rec.id, segment);
        if (!state) throw new AppError('conflict', 'No such segment');
        if (seq < state.nextSeq) return { duplicate: true, bytes: state.bytes };
        if (seq > state.nextSeq) {
          throw new AppError(
            'conflict',
            `Chunk ${seq} is out of order: the next chunk of this segment is ${state.nextSeq}`,
          );
        }
        const file = service.files.segmentPath(rec.eventId, rec.id, segment);
        const bytes = await service.files.appendChunk(file, state.bytes, data);
        const acked = await service.store.ack(rec.id, segment, seq, bytes, d.now());
        if (acked !== -1) throw new AppError('conflict', `The next chunk of this segment is ${acked}`);
        // Still inside this segment's queue, so listeners (live captions) hear chunks in order.
        service.chunkStored({
          eventId: rec.eventId,
          recordingId: rec.id,
          segment,
          seq,
          data,
          segmentStartedAt: state.startedAt,
        });
        return { duplicate: false, bytes };
      });
      res.json({ segment, seq, ...result });
    },
    {
      body: express.raw({ type: () => true, limit: RECORDING_LIMITS.maxChunkBytes }),
    },
  );

  r.route(
    'get',
    '/admin/events/:eventId/recording',
    'recording:manage',
    async (_req, res, { event }) => {
      res.json(await adminView(service, event!.id));
    },
    { eventParam: 'eventId' },
  );

  r.route(
    'put',
    '/admin/events/:eventId/recording/settings',
    'recording:manage',
    async (req, res, { event }) => {
      const { enabled } = parseOrThrow(RecordingSettingsInput, req.body, 'recording settings');
      await service.setEnabled(event!.id, enabled);
      res.json(await adminView(service, event!.id));
    },
    { eventParam: 'eventId' },
  );

  r.route(
    'post',
    '/admin/events/:eventId/recording/process',
    'recording:manage',
    async (_req, res, { event }) => {
      await service.reprocess(event!.id);
      res.status(202).json(await adminView(service, event!.id));
    },
    { eventParam: 'eventId' },
  );

  r.route(
    'get',
    '/events/:slug/recording',
    'recording:read',
    async (_req, res, { event }) => {
      const rec = await service.getRecording(event!.id);
      if (!rec || rec.status !== 'ready' || !rec.mp4Url || !rec.hlsUrl || !rec.posterUrl) {
        throw new AppError('not_found', 'This event has no recording yet');
      }
      const body: PublicRecording = {
        status: 'ready',
        durationSeconds: rec.durationSeconds ?? 0,
        mp4Url: rec.mp4Url,
        hlsUrl: rec.hlsUrl,
        posterUrl: rec.posterUrl,
      };
      res.json(body);
    },
    { eventParam: 'slug' },
  );
}

async function adminView(service: RecordingService, eventId: string): Promise<RecordingAdminView> {
  const rec = await service.store.forEvent(eventId);
  return {
    enabled: service.enabled && (await service.store.enabled(eventId)),
    recording: rec ? await service.info(rec) : null,
  };
}
