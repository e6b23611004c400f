/**
 * Sockets authenticate from the session cookie on every (re)connection, including connection
 * state recovery: someone logged out or banned while disconnected comes back without the old role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, cookieFrom, makeEvent, personWith } from '../support/people.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';

let t: TestApp;
let live: Awaited<ReturnType<typeof makeEvent>>;

beforeAll(async () => {
  t = await startTestApp();
  live = await makeEvent(t, 'recovery-panel', 'live');
});
afterAll(() => t.close());

/** A room broadcast, as live deltas would be: recovery resumes from the last one received. */
async function broadcast(s: ClientSocket): Promise<void> {
  const got = new Promise<void>((resolve) => s.once('event:status', () => resolve()));
  t.app.io.to(`event:${live.id}`).emit('event:status', { slug: live.slug, status: 'live', version: 1 });
  await got;
}

/** Drops the transport (as a network blip would) and waits for the client to reconnect. */
async function blip(s: ClientSocket, whileAway: () => Promise<void>): Promise<void> {
  await broadcast(s);
  const back = new Promise<void>((resolve) => s.io.once('reconnect', () => resolve()));
  const id = s.id!;
  s.io.engine.close();
  // Only once the server has seen the transport drop is the socket away (and recoverable);
  // a kick that arrives earlier disconnects it for good, which is right but not this case.
  await expect.poll(() => t.app.io.sockets.sockets.has(id), { timeout: 5000, interval: 10 }).toBe(false);
  await whileAway();
  await back;
  await new Promise<void>((resolve) => (s.connected ? resolve() : s.once('connect', () => resolve())));
}

describe('socket identity', () => {
  it('knows an organizer and a visitor from the handshake cookie', async () => {
    const org = await personWith(t, 'organizer', live.id);
    const s1 = await socketFor(t.url, org.cookie);
    const s2 = await socketFor(t.url);
    expect(await s1.timeout(2000).emitWithAck('session:whoami', {})).toMatchObject({
      ok: true,
      data: { kind: 'organizer', userId: org.userId },
    });
    expect(await s2.timeout(2000).emitWithAck('session:whoami', {})).toEqual({
      ok: true,
      data: { userId: null, displayName: null, kind: null },
    });
    s1.disconnect();
    s2.disconnect();
  });

  it('ignores an identity claimed in a payload', async () => {
    const s = await socketFor(t.url);
    const ack = await (s as unknown as { timeout(n: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } })
      .timeout(2000)
      .emitWithAck('session:whoami', { userId: 'someone-else', role: 'organizer' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    s.disconnect();
  });
});

describe('connection state recovery', () => {
  it('recovers a socket after a blip, but one logged out meanwhile comes back anonymous', async () => {
    const joined = await api(t, 'post', '/api/events/recovery-panel/join', {
      body: { mode: 'open', displayName: 'Blip' },
    });
    const cookie = cookieFrom(joined);
    const s = await socketFor(t.url, cookie, { reconnection: true });
    expect((await s.timeout(2000).emitWithAck('event:subscribe', { slug: 'recovery-panel' })).ok).toBe(true);
    await blip(s, async () => {
      expect((await api(t, 'post', '/api/auth/logout', { cookie })).status).toBe(204);
    });
    expect(s.recovered).toBe(true);
    expect(await s.timeout(2000).emitWithAck('session:whoami', {})).toEqual({
      ok: true,
      data: { userId: null, displayName: null, kind: null },
    });
    // The event's public room is kept: broadcasts still arrive.
    await broadcast(s);
    s.disconnect();
  });

  it('a person banned while disconnected is recovered without the event room and is refused', async () => {
    const moderator = await personWith(t, 'moderator', live.id);
    const member = await personWith(t, 'audience', live.id);
    const s = await socketFor(t.url, member.cookie, { reconnection: true });
    expect((await s.timeout(2000).emitWithAck('event:subscribe', { slug: 'recovery-panel' })).ok).toBe(true);
    await blip(s, async () => {
      expect(
        (
          await api(t, 'post', '/api/events/recovery-panel/bans', {
            cookie: moderator.cookie,
            body: { userId: member.userId },
          })
        ).status,
      ).toBe(204);
    });
    expect(s.recovered).toBe(true);
    const rooms = [...t.app.io.sockets.sockets.values()]
      .filter((x) => x.data.principal?.userId === member.userId)
      .flatMap((x) => [...x.rooms]);
    expect(rooms.filter((r) => r.startsWith('event:'))).toEqual([]);
    expect(await s.timeout(2000).emitWithAck('event:subscribe', { slug: 'recovery-panel' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    s.disconnect();
  });
});

describe('socket rate limit', () => {
  it('answers a flood with rate_limited acks and stays up', async () => {
    const s = await socketFor(t.url, (await personWith(t, 'audience', live.id)).cookie);
    const acks = await Promise.all(Array.from({ length: 60 }, () => s.timeout(5000).emitWithAck('session:whoami', {})));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.ok).length).toBe(40);
    expect(s.connected).toBe(true);
    s.disconnect();
  });
});

describe('anonymous sockets behind one address', () => {
  it('are limited one by one, so a full classroom can subscribe at once', async () => {
    const sockets = await Promise.all(Array.from({ length: 50 }, () => socketFor(t.url)));
    const acks = await Promise.all(
      sockets.map((s) => s.timeout(5000).emitWithAck('event:subscribe', { slug: 'recovery-panel' })),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(50);
    for (const s of sockets) s.disconnect();
  });
});
