import { z } from 'zod';
import type { ApiErrorBody } from './errors.ts';
import type { Role } from './auth.ts';
import { EventStatus, Slug } from './catalogue.ts';
import { LiveSnapshotPayload, type LiveDelta, type LiveSnapshot } from './live.ts';
import { STAGE_EVENT_SCHEMAS, type StageClientEvents, type StageServerEvents } from './stage.ts';
import { QA_EVENT_SCHEMAS, type QaClientEvents } from './qa.ts';
import { POLL_EVENT_SCHEMAS, type PollClientEvents } from './polls.ts';
import { CHAT_EVENT_SCHEMAS, type ChatClientEvents, type ChatServerEvents } from './chat.ts';
import type { CaptionsServerEvents } from './captions.ts';

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
  /** The caller's role at the event, as the server sees it. */
  role: Role;
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
  'live:snapshot': LiveSnapshotPayload,
  ...STAGE_EVENT_SCHEMAS,
  ...QA_EVENT_SCHEMAS,
  ...POLL_EVENT_SCHEMAS,
  ...CHAT_EVENT_SCHEMAS,
} as const;

export type ClientEventName = keyof typeof CLIENT_EVENT_SCHEMAS;

/** Events the browser emits; each takes one payload and an acknowledgement callback. */
export interface CoreClientEvents {
  'event:subscribe': (payload: EventSubscribePayload, ack: Ack<EventSnapshot>) => void;
  'event:unsubscribe': (payload: EventSubscribePayload, ack: Ack<null>) => void;
  'session:whoami': (payload: Record<string, never>, ack: Ack<SocketIdentity>) => void;
  'live:snapshot': (payload: LiveSnapshotPayload, ack: Ack<LiveSnapshot>) => void;
}

export type ClientToServerEvents = CoreClientEvents &
  StageClientEvents &
  QaClientEvents &
  PollClientEvents &
  ChatClientEvents;

/** Events the server pushes to rooms. */
export interface CoreServerEvents {
  'event:status': (payload: { slug: string; status: z.infer<typeof EventStatus>; version: number }) => void;
  /** Coalesced, versioned changes to one live feature of one event (see live.ts). */
  'live:delta': (payload: LiveDelta) => void;
}

export type ServerToClientEvents = CoreServerEvents & StageServerEvents & ChatServerEvents & CaptionsServerEvents;

export type InterServerEvents = Record<string, never>;
