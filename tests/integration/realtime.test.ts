import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let t: TestApp;
const sockets: ClientSocket[] = [];

function client(headers: Record<string, string> = {}): ClientSocket {
  const s: ClientSocket = connect(t.url, {
    transports: ['websocket'],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
  sockets.push(s);
  return s;
}
const connected = (s: ClientSocket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
/** Emits any event name with any payload, as a hostile client could. */
const emitRaw = (s: ClientSocket, event: string, ...args: unknown[]) =>
  (s as unknown as { timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<AckResult<unknown>> } })
    .timeout(3000)
    .emitWithAck(event, ...args);

beforeAll(async () => {
  t = await startTestApp({ demo: true });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(() => t.close());

describe('event:subscribe', () => {
  it('acks the event snapshot and joins its room', async () => {
    const s = client();
    await connected(s);
    const ack = await s
      .timeout(3000)
      .emitWithAck('event:subscribe', { slug: 'living-lab-3-build-a-learning-ecosystem' });
    expect(ack).toEqual({
      ok: true,
      data: { slug: 'living-lab-3-build-a-learning-ecosystem', status: 'ended', version: 0, role: 'visitor' },
    });
    const rooms = [...t.app.io.sockets.sockets.values()].flatMap((sock) => [...sock.rooms]);
    expect(rooms.some((r) => r.startsWith('event:'))).toBe(true);
  });

  it('answers not_found for an unknown event', async () => {
    const s = client();
    await connected(s);
    const ack = await s.timeout(3000).emitWithAck('event:subscribe', { slug: 'nope' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('bad input over the socket', () => {
  it('acks an unknown event with unknown_event and stays connected', async () => {
    const s = client();
    await connected(s);
    expect(await emitRaw(s, 'admin:drop-everything', { please: true })).toMatchObject({
      ok: false,
      error: { code: 'unknown_event' },
    });
    expect(s.connected).toBe(true);
    const ack = await s.timeout(3000).emitWithAck('event:subscribe', { slug: 'all-in-paris-2019' });
    expect(ack.ok).toBe(true);
  });

  it.each([
    ['no payload', []],
    ['a string', ['living-lab']],
    ['a number', [42]],
    ['null', [null]],
    ['an array', [[1, 2]]],
    ['a missing slug', [{}]],
    ['a wrongly typed slug', [{ slug: 7 }]],
    ['a slug with path characters', [{ slug: '../../etc/passwd' }]],
    ['an extra field', [{ slug: 'all-in-paris-2019', role: 'moderator' }]],
  ])('acks %s with validation_failed and stays connected', async (_label, args) => {
    const s = client();
    await connected(s);
    const ack = await emitRaw(s, 'event:subscribe', ...args);
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(s.connected).toBe(true);
  });

  it('survives an event sent without an acknowledgement', async () => {
    const s = client();
    await connected(s);
    (s as unknown as { emit(e: string, p: unknown): void }).emit('event:subscribe', { slug: 42 });
    (s as unknown as { emit(e: string): void }).emit('nonsense');
    const ack = await s.timeout(3000).emitWithAck('event:subscribe', { slug: 'all-in-paris-2019' });
    expect(ack.ok).toBe(true);
  });

  it('drops a socket whose message exceeds the size limit, and keeps serving others', async () => {
    const big = client();
    await connected(big);
    const closed = new Promise<string>((resolve) => big.once('disconnect', resolve));
    (big as unknown as { emit(e: string, p: unknown): void }).emit('event:subscribe', { slug: 'x'.repeat(100_000) });
    expect(await closed).toBeTruthy();
    const other = client();
    await connected(other);
    expect((await other.timeout(3000).emitWithAck('event:subscribe', { slug: 'all-in-paris-2019' })).ok).toBe(true);
  });
});

describe('handshake origin', () => {
  it('refuses a cross-origin handshake', async () => {
    const s = client({ origin: 'https://evil.example' });
    await expect(connected(s)).rejects.toThrow();
  });

  it('accepts the app’s own origin', async () => {
    const s = client({ origin: t.url });
    await expect(connected(s)).resolves.toBeUndefined();
  });
});
