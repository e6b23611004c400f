import { z } from 'zod';
import type { ApiErrorBody } from './errors.ts';
import { EventStatus, Slug } from './catalogue.ts';

/** Every acknowledgement: success carries data (and a state version when it changed state). */
export type AckResult<T> = { ok: true; data: T; version?: number } | { ok: false; error: ApiErrorBody };
export type Ack<T> = (result: AckResult<T>) => void;

export const EventSubscribePayload = z.object({ slug: Slug }).strict();
export type EventSubscribePayload = z.infer<typeof EventSubscribePayload>;

/** What a client learns when it subscribes to an event's room. */
export interface EventSnapshot {
  slug: string;
  status: z.infer<typeof EventStatus>;
  version: number;
}

export const WhoAmIPayload = z.object({}).strict();

/** Who the server believes the socket belongs to (re-evaluated on every (re)connection). */
export interface SocketIdentity {
  userId: string | null;
  displayName: string | null;
  kind: 'organizer' | 'guest' | null;
}

/** The schema of each client event's payload: the server parses with these and nothing else. */
export const CLIENT_EVENT_SCHEMAS = {
  'event:subscribe': EventSubscribePayload,
  'event:unsubscribe': EventSubscribePayload,
  'session:whoami': WhoAmIPayload,
} as const;

export type ClientEventName = keyof typeof CLIENT_EVENT_SCHEMAS;

/** Events the browser emits; each takes one payload and an acknowledgement callback. */
export interface ClientToServerEvents {
  'event:subscribe': (payload: EventSubscribePayload, ack: Ack<EventSnapshot>) => void;
  'event:unsubscribe': (payload: EventSubscribePayload, ack: Ack<null>) => void;
  'session:whoami': (payload: Record<string, never>, ack: Ack<SocketIdentity>) => void;
}

/** Events the server pushes to rooms. */
export interface ServerToClientEvents {
  'event:status': (payload: { slug: string; status: z.infer<typeof EventStatus>; version: number }) => void;
}

export type InterServerEvents = Record<string, never>;
