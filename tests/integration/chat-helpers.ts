/**
 * Helpers for the chat and moderation integration tests: people with a role and a subscribed
 * socket, acked emits, snapshots, and the Redis state a refusal must leave unchanged.
 */
import crypto from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { ApiErrorBody, ChatState, LiveDelta, Role } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { versionKey } from '../../server/src/live/ops.ts';
import type { TestApp } from '../support/app.ts';
import { personWith, type Person } from '../support/people.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';

export const op = () => crypto.randomUUID();

/** An ack as tests read it (success and failure fields both optional, so assertions stay short). */
export interface LooseAck {
  ok: boolean;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  version?: number;
  error?: ApiErrorBody;
}

export interface Member extends Person {
  socket: ClientSocket;
  /** Every chat delta this socket received. */
  deltas: LiveDelta[];
  emit(name: string, payload: object): Promise<LooseAck>;
  snapshot(): Promise<ChatState>;
}

/** A person with `role` at the event, connected and subscribed to its room. */
export async function member(t: TestApp, event: { id: string; slug: string }, role: Role, name?: string) {
  const person = await personWith(t, role, event.id, name);
  const socket = await socketFor(t.url, person.cookie);
  const deltas: LiveDelta[] = [];
  socket.on('live:delta', (d) => {
    if (d.feature === 'chat' && d.slug === event.slug) deltas.push(d);
  });
  const emit = (name: string, payload: object) =>
    (socket as unknown as Socket).timeout(5000).emitWithAck(name, payload) as Promise<LooseAck>;
  const sub = await emit('event:subscribe', { slug: event.slug });
  if (!sub.ok) throw new Error(`subscribe failed: ${JSON.stringify(sub)}`);
  const m: Member = {
    ...person,
    socket,
    deltas,
    emit,
    async snapshot() {
      const ack = await emit('live:snapshot', { slug: event.slug, feature: 'chat' });
      if (!ack.ok) throw new Error(`snapshot refused: ${JSON.stringify(ack)}`);
      return (ack.data as { state: ChatState }).state;
    },
  };
  return m;
}

/** The last value each `kind:id` took in the deltas received (null = removed). */
export function latest(deltas: LiveDelta[], kind: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const d of deltas) for (const c of d.changes) if (c.kind === kind) out.set(c.id, c.data);
  return out;
}

/** What a refused write must not change: the chat's Redis state and version. */
export async function chatState(t: TestApp, eventId: string) {
  const k = chatKeys(eventId);
  const [version, messages, settings, restricted, reactions] = await Promise.all([
    t.redis.get(versionKey(eventId, 'chat')),
    t.redis.xRange(k.msgs, '-', '+'),
    t.redis.hGetAll(k.settings),
    t.redis.hGetAll(k.restricted),
    t.redis.hGetAll(k.reactions),
  ]);
  return { version, messages, settings, restricted, reactions };
}

export function closeAll(...members: (Member | undefined)[]) {
  for (const m of members) m?.socket.disconnect();
}
