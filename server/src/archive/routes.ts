/**
 * The archive route:
 *
 *   GET /api/events/:slug/archive   everyone, once the event has ended: EventArchive
 *
 * Before the event has ended it answers 404 `not_found` ("published once the event has ended"),
 * like the transcript, so a scheduled or live event's page never shows a half archive.
 */
import type { EventArchive } from '@colloquy/shared';
import { AppError } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { EventRecord } from '../events/store.ts';
import { buildArchive } from './archive.ts';
import { archiveInput, type ArchiveSources } from './sources.ts';

export interface ArchiveService {
  /** The archive of an ended event (whatever its status: callers check it has ended). */
  get(event: EventRecord): Promise<EventArchive>;
}

export function createArchive(sources: ArchiveSources): ArchiveService {
  return {
    async get(event) {
      return buildArchive(await archiveInput(sources, event));
    },
  };
}

export function archiveRoutes(api: GuardedRouter, archive: ArchiveService): void {
  api.route(
    'get',
    '/events/:slug/archive',
    'archive:read',
    async (_req, res, g) => {
      const event = g.event!;
      if (event.status !== 'ended') {
        throw new AppError('not_found', 'The archive is published once the event has ended');
      }
      res.json(await archive.get(event));
    },
    { eventParam: 'slug' },
  );
}
