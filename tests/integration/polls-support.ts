/**
 * Helpers for the polls integration tests: acked emits, a socket that keeps the polls feature's
 * state from its snapshot and deltas (as the browser's LiveChannel does), and people with sockets.
 */
import { expect } from 'vitest';
import type { Socket } from 'socket.io-client';
import {
  pollFromWire,
  type AckResult,
  type LiveDelta,
  type LiveSnapshot,
  type Poll,
  type PollsState,
  type Role,
} from '@colloquy/shared';
import type { TestApp } from '../support/app.ts';
import { personWith, type Person } from '../support/people.ts';
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

export interface Member {
  person: Person;
  socket: ClientSocket;
}

export async function member(t: TestApp, role: Role, eventId: string, name?: string): Promise<Member> {
  const person = await personWith(t, role, eventId, name);
  return { person, socket: await socketFor(t.url, person.cookie) };
}

/** A socket's view of the polls feature, kept from its snapshot and the deltas it receives. */
export class PollsView {
  state: PollsState = { polls: {}, mine: {} };
  version = 0;
  gaps = 0;
  private ready = false;
  private readonly buffered: LiveDelta[] = [];

  static async start(s: ClientSocket, slug: string): Promise<PollsView> {
    const v = new PollsView();
    s.on('live:delta', (d) => {
      if (d.feature !== 'polls' || d.slug !== slug) return;
      if (v.ready) v.apply(d);
      else v.buffered.push(d);
    });
    const sub = await emit(s, 'event:subscribe', { slug });
    expect(sub.ok).toBe(true);
    const snap = await emit<LiveSnapshot<PollsState>>(s, 'live:snapshot', { slug, feature: 'polls' });
    if (!snap.ok) throw new Error(JSON.stringify(snap.error));
    v.state = snap.data.state;
    v.version = snap.data.version;
    v.ready = true;
    for (const d of v.buffered.splice(0)) v.apply(d);
    return v;
  }

  private apply(d: LiveDelta): void {
    if (d.to <= this.version) return;
    if (d.from > this.version + 1) this.gaps++;
    for (const c of d.changes) {
      if (c.kind !== 'poll') continue;
      if (c.data === null) delete this.state.polls[c.id];
      else this.state.polls[c.id] = pollFromWire(c.data as Poll);
    }
    this.version = d.to;
  }

  poll(id: string): Poll | undefined {
    return this.state.polls[id];
  }
}

/** A draft made by `staff` and its id. */
export async function draft(
  staff: ClientSocket,
  slug: string,
  content: { kind: Poll['kind']; question: string; options?: string[] },
): Promise<Poll> {
  return ok<Poll>(staff, 'polls:create', { slug, ...content });
}

/** A launched poll. */
export async function launched(
  staff: ClientSocket,
  slug: string,
  content: { kind: Poll['kind']; question: string; options?: string[] },
): Promise<Poll> {
  const p = await draft(staff, slug, content);
  return ok<Poll>(staff, 'polls:open', { slug, pollId: p.id });
}
