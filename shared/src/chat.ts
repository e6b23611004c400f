/** The chat feature's payload schemas and socket events (filled in by its issue). */

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const CHAT_EVENT_SCHEMAS = {} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export type ChatClientEvents = Record<never, never>;

/** Events the server pushes for this feature besides `live:delta`. */
export type ChatServerEvents = Record<never, never>;
