import type { Handler } from '../realtime/handlers.ts';
import { AppError } from '../http/errors.ts';
import type { CatalogueService } from './service.ts';

export const eventRoom = (eventId: string) => `event:${eventId}`;

/** `event:subscribe` joins the event's room and answers its current state. */
export function eventSocketHandlers(service: CatalogueService): {
  'event:subscribe': Handler<'event:subscribe'>;
  'event:unsubscribe': Handler<'event:unsubscribe'>;
} {
  return {
    'event:subscribe': async (socket, { slug }) => {
      const event = await service.getEventRecord(slug);
      if (!event) throw new AppError('not_found', 'No event with that address');
      await socket.join(eventRoom(event.id));
      return { data: { slug: event.slug, status: event.status, version: 0 } };
    },
    'event:unsubscribe': async (socket, { slug }) => {
      const event = await service.getEventRecord(slug);
      if (event) await socket.leave(eventRoom(event.id));
      return { data: null };
    },
  };
}
