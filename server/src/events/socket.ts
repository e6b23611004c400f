import { eventRoom, staffRoom } from '../realtime/rooms.ts';
import type { HandlerSpec } from '../realtime/handlers.ts';
import { isStaff } from '../live/registry.ts';

/**
 * `event:subscribe` joins the event's room (and, for moderators and organizers, its staff room,
 * which gets the staff view of live deltas) and answers the event's current state.
 */
export function eventSocketHandlers(): {
  'event:subscribe': HandlerSpec<'event:subscribe'>;
  'event:unsubscribe': HandlerSpec<'event:unsubscribe'>;
} {
  return {
    'event:subscribe': {
      action: 'event:subscribe',
      eventSlug: (p) => p.slug,
      async run(socket, _payload, { event, role }) {
        await socket.join(isStaff(role) ? [eventRoom(event!.id), staffRoom(event!.id)] : eventRoom(event!.id));
        return { data: { slug: event!.slug, status: event!.status, version: 0, role } };
      },
    },
    'event:unsubscribe': {
      action: 'event:subscribe',
      eventSlug: (p) => p.slug,
      async run(socket, _payload, { event }) {
        await socket.leave(eventRoom(event!.id));
        await socket.leave(staffRoom(event!.id));
        return { data: null };
      },
    },
  };
}
