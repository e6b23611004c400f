/** Socket.IO room names: one per event, one per session and one per user (for cutting access). */
export const eventRoom = (eventId: string) => `event:${eventId}`;
/** Moderators and organizers of an event: they get the staff projection of live deltas. */
export const staffRoom = (eventId: string) => `event:${eventId}:staff`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;

/** The event id of an event room (public or staff), null for any other room. */
export const eventIdOfRoom = (room: string): string | null =>
  room.startsWith('event:') ? room.slice('event:'.length).replace(/:staff$/, '') : null;
