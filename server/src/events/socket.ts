import { eventRoom } from '../realtime/rooms.ts';
import type { HandlerSpec } from '../realtime/handlers.ts';

/** `event:subscribe` joins the event's room and answers its current state. */
export function eventSocketHandlers(): {
  'event:subscribe': HandlerSpec<'event:subscribe'>;
  'event:unsubscribe': HandlerSpec<'event:unsubscribe'>;
} {
  return {
    'event:subscribe': {
      action: 'event:subscribe',
      eventSlug: (p) => p.slug,
      async run(socket, _payload, { event }) {
        await socket.join(eventRoom(event!.id));
        return { data: { slug: event!.slug, status: event!.status, version: 0 } };
      },
    },
    'event:unsubscribe': {
      action: 'event:subscribe',
      eventSlug: (p) => p.slug,
      async run(socket, _payload, { event }) {
        await socket.leave(eventRoom(event!.id));
        return { data: null };
      },
    },
  };
}
