/**
 * Live captions REST:
 *   GET /api/events/:slug/captions    participants: whether the event has captions, and its last lines
 */
import { CAPTIONS_LIMITS, type CaptionsState } from '@colloquy/shared';
import type { GuardedRouter } from '../http/guard.ts';
import type { LiveCaptions } from './captions.ts';

export function captionsRoutes(api: GuardedRouter, captions: LiveCaptions): void {
  api.route(
    'get',
    '/events/:slug/captions',
    'captions:read',
    async (_req, res, { event }) => {
      const [available, lines] = await Promise.all([
        captions.available(event!.id),
        captions.store.recent(event!.id, CAPTIONS_LIMITS.recentLines),
      ]);
      const body: CaptionsState = { slug: event!.slug, available, lines, now: new Date().toISOString() };
      res.json(body);
    },
    { eventParam: 'slug' },
  );
}
