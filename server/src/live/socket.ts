import type { HandlerSpec } from '../realtime/handlers.ts';
import type { Live } from './registry.ts';

/** `live:snapshot`: one feature's state as the caller may see it, to start from or resync after a gap. */
export function liveSocketHandlers(live: Live): { 'live:snapshot': HandlerSpec<'live:snapshot'> } {
  return {
    'live:snapshot': {
      action: 'live:read',
      eventSlug: (p) => p.slug,
      async run(_socket, payload, { event, role, principal }) {
        const snap = await live.snapshot(event!, payload.feature, { role, userId: principal?.userId ?? null });
        return { data: snap, version: snap.version };
      },
    },
  };
}
