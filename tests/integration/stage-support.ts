/**
 * Helpers for the stage tests: acked emits, people with sockets subscribed to an event, the stage
 * snapshot, and LiveKit webhooks signed as livekit-server signs them.
 */
import crypto from 'node:crypto';
import { expect, inject } from 'vitest';
import type { Socket } from 'socket.io-client';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import type {
  AckResult,
  AttendanceReport,
  LiveDelta,
  LiveSnapshot,
  LivekitTokenResponse,
  Role,
  StageState,
  StageYou,
} from '@colloquy/shared';
import type { TestApp } from '../support/app.ts';
import { api, personWith, type Person } from '../support/people.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';

/** Emits any event with any payload (as a hostile client could) and resolves with the ack. */
export function emit<T = unknown>(s: ClientSocket, event: string, payload: unknown): Promise<AckResult<T>> {
  return (s as unknown as Socket).timeout(5000).emitWithAck(event, payload) as Promise<AckResult<T>>;
}

/** Emits with a fresh op id and expects success; returns the data. */
export async function ok<T = unknown>(s: ClientSocket, event: string, payload: object): Promise<T> {
  const ack = await emit<T>(s, event, { opId: crypto.randomUUID(), ...payload });
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

/** Emits with a fresh op id and expects the refusal `code`. */
export async function refused(s: ClientSocket, event: string, payload: object, code: string): Promise<void> {
  const ack = await emit(s, event, { opId: crypto.randomUUID(), ...payload });
  expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code } });
}

export interface Member {
  person: Person;
  userId: string;
  socket: ClientSocket;
  /** Every `stage:you` and stage `live:delta` this socket received, in order. */
  you: StageYou[];
  deltas: LiveDelta[];
  statuses: { slug: string; status: string; version: number }[];
}

/** A person with `role` on the event, with a socket subscribed to its room. */
export async function member(t: TestApp, role: Role, event: { id: string; slug: string }, name?: string) {
  const person = await personWith(t, role, event.id, name);
  const socket = await socketFor(t.url, person.cookie);
  const m: Member = { person, userId: person.userId!, socket, you: [], deltas: [], statuses: [] };
  socket.on('stage:you', (y) => m.you.push(y));
  socket.on('live:delta', (d) => {
    if (d.feature === 'stage') m.deltas.push(d);
  });
  socket.on('event:status', (s) => m.statuses.push(s));
  if (role !== 'visitor') expect((await emit(socket, 'event:subscribe', { slug: event.slug })).ok).toBe(true);
  return m;
}

export async function snapshot(s: ClientSocket, slug: string): Promise<LiveSnapshot<StageState>> {
  const ack = await emit<LiveSnapshot<StageState>>(s, 'live:snapshot', { slug, feature: 'stage' });
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack.data;
}

/** Polls an assertion (deltas and pushes arrive on the server's next tick). */
export const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 5000, interval: 50 });

export async function tokenFor(t: TestApp, slug: string, cookie: string) {
  const res = await api(t, 'post', `/api/events/${slug}/livekit-token`, { cookie });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as LivekitTokenResponse) : null };
}

export async function grantsOf(token: string) {
  const { apiKey, apiSecret } = inject('livekit');
  return (await new TokenVerifier(apiKey, apiSecret).verify(token)).video!;
}

export async function attendance(t: TestApp, slug: string, cookie: string): Promise<AttendanceReport> {
  const res = await api(t, 'get', `/api/events/${slug}/attendance`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as AttendanceReport;
}

/** Signs a webhook body as livekit-server does: a JWT whose sha256 claim is the body's hash. */
export async function signed(body: string, secret = inject('livekit').apiSecret): Promise<string> {
  const token = new AccessToken(inject('livekit').apiKey, secret);
  token.sha256 = crypto.createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

export async function postWebhook(t: TestApp, body: string, authorization?: string) {
  const res = await fetch(`${t.url}/webhooks/livekit`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: authorization ?? (await signed(body)) },
    body,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** A LiveKit webhook body (JSON as livekit-server sends it). */
export function hook(
  event: 'participant_joined' | 'participant_left' | 'room_finished',
  o: { id?: string; eventId: string; identity?: string; sid?: string; name?: string; at?: number },
): string {
  const at = Math.floor((o.at ?? Date.now()) / 1000);
  return JSON.stringify({
    event,
    id: o.id ?? `EV_${crypto.randomUUID()}`,
    createdAt: String(at),
    room: { name: `event-${o.eventId}`, sid: 'RM_test' },
    ...(o.identity
      ? {
          participant: {
            identity: o.identity,
            sid: o.sid ?? `PA_${o.identity}`,
            name: o.name ?? o.identity,
            joinedAt: String(at),
          },
        }
      : {}),
  });
}
