/** The polls feature's payload schemas and socket events (filled in by its issue). */

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const POLL_EVENT_SCHEMAS = {} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export type PollClientEvents = Record<never, never>;
