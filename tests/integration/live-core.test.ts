/**
 * The live-state core on a real Redis and real Socket.IO clients: op ids deduped atomically with the
 * write, versions counted per feature, refusals changing nothing, and deltas coalesced per tick
 * with a public and a staff projection.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveDelta } from '@colloquy/shared';
import { AppError } from '../../server/src/http/errors.ts';
import { liveScript, versionKey } from '../../server/src/live/ops.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent, personWith } from '../support/people.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';

// A tiny feature written against the contract: adds ARGV[1] to a counter unless it would pass 100.
const ADD = liveScript(`
local n = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current + n > 100 then return { ok = false, code = 'conflict', message = 'too much' } end
local total = redis.call('INCRBY', KEYS[1], n)
return { ok = true, data = { total = total }, changes = {
  { kind = 'counter', id = 'main', public = { total = total } },
  { kind = 'secret', id = 'main', public = cjson.null, staff = { total = total, by = ARGV[2] } },
} }
`);

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
const counterKey = () => `cq:test:counter:${event.id}`;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'live-core', 'live');
});
afterAll(() => t.close());

function add(n: number, opId = crypto.randomUUID(), userId = 'u1') {
  return t.app.live.writer.run<{ total: number }>(ADD, {
    feature: 'qa',
    eventId: event.id,
    slug: event.slug,
    userId,
    opId,
    name: 'test:add',
    payload: { n },
    keys: [counterKey()],
    args: [n, userId],
  });
}

describe('live writes', () => {
  it('applies a retried op id once and answers it with the first ack', async () => {
    const opId = crypto.randomUUID();
    const first = await add(5, opId);
    const again = await add(5, opId);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await t.redis.get(counterKey())).toBe('5');
  });

  it('scopes op ids to the person: the same id from someone else is a new write', async () => {
    const opId = crypto.randomUUID();
    await add(1, opId, 'u1');
    const other = await add(1, opId, 'u2');
    expect(other.replayed).toBe(false);
  });

  it('refuses an op id reused for a different payload, and changes nothing', async () => {
    const opId = crypto.randomUUID();
    await add(2, opId);
    const before = await t.redis.get(counterKey());
    const version = await t.redis.get(versionKey(event.id, 'qa'));
    await expect(add(3, opId)).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.redis.get(counterKey())).toBe(before);
    expect(await t.redis.get(versionKey(event.id, 'qa'))).toBe(version);
  });

  it('does not count a version for a refused write', async () => {
    const version = Number(await t.redis.get(versionKey(event.id, 'qa')));
    const err = await add(1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(Number(await t.redis.get(versionKey(event.id, 'qa')))).toBe(version);
  });

  it('numbers server-made writes too, with no op id', async () => {
    const version = Number(await t.redis.get(versionKey(event.id, 'qa')));
    const r = await t.app.live.writer.system<{ total: number }>(ADD, {
      feature: 'qa',
      eventId: event.id,
      slug: event.slug,
      keys: [counterKey()],
      args: [1, 'server'],
    });
    expect(r.version).toBe(version + 1);
  });
});

describe('deltas', () => {
  const collect = (s: ClientSocket, after: number) => {
    const got: LiveDelta[] = [];
    s.on('live:delta', (d) => {
      if (d.to > after) got.push(d);
    });
    return got;
  };

  it('coalesces a burst into few deltas, contiguous in version, with public and staff views', async () => {
    const audience = await personWith(t, 'audience', event.id);
    const moderator = await personWith(t, 'moderator', event.id);
    const a = await socketFor(t.url, audience.cookie);
    const m = await socketFor(t.url, moderator.cookie);
    for (const s of [a, m]) {
      const ack = await s.timeout(3000).emitWithAck('event:subscribe', { slug: event.slug });
      expect(ack.ok).toBe(true);
    }
    await t.redis.set(counterKey(), '0');
    t.app.live.hub.flush(); // earlier tests' writes go out before we start counting
    const before = Number(await t.redis.get(versionKey(event.id, 'qa')));
    const publicDeltas = collect(a, before);
    const staffDeltas = collect(m, before);
    await Promise.all(Array.from({ length: 50 }, () => add(1)));
    t.app.live.hub.flush();
    await expect.poll(() => publicDeltas.at(-1)?.to, { timeout: 2000 }).toBe(before + 50);
    await expect.poll(() => staffDeltas.at(-1)?.to, { timeout: 2000 }).toBe(before + 50);

    // 50 writes, far fewer packets, no version missing.
    expect(publicDeltas.length).toBeLessThan(5);
    expect(publicDeltas[0]!.from).toBe(before + 1);
    for (let i = 1; i < publicDeltas.length; i++) expect(publicDeltas[i]!.from).toBe(publicDeltas[i - 1]!.to + 1);
    // Only the latest value of each entity; the audience never sees the staff-only one.
    const lastPublic = publicDeltas.at(-1)!.changes;
    expect(lastPublic.find((c) => c.kind === 'counter')).toEqual({ kind: 'counter', id: 'main', data: { total: 50 } });
    expect(lastPublic.find((c) => c.kind === 'secret')).toEqual({ kind: 'secret', id: 'main', data: null });
    expect(staffDeltas.at(-1)!.changes.find((c) => c.kind === 'secret')?.data).toEqual({ total: 50, by: 'u1' });
    a.disconnect();
    m.disconnect();
  });
});

describe('an action outside Redis under an op id (writer.once)', () => {
  const op = (opId: string, payload: object = { userId: 'target' }) => ({
    eventId: event.id,
    userId: 'moderator-1',
    opId,
    name: 'test:remove',
    payload,
  });

  it('acts once per op id: a retry answers as the first time, another payload is refused', async () => {
    let acted = 0;
    const act = async () => ({ removed: ++acted });
    const opId = crypto.randomUUID();
    expect(await t.app.live.writer.once(op(opId), act)).toEqual({ data: { removed: 1 }, replayed: false });
    expect(await t.app.live.writer.once(op(opId), act)).toEqual({ data: { removed: 1 }, replayed: true });
    await expect(t.app.live.writer.once(op(opId, { userId: 'someone-else' }), act)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(acted).toBe(1);
  });

  it('refuses a copy racing the first while it runs, and lets a retry act after a failure', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let acted = 0;
    const opId = crypto.randomUUID();
    const first = t.app.live.writer.once(op(opId), async () => {
      await slow;
      return ++acted;
    });
    await new Promise((r) => setTimeout(r, 50));
    const racing = await t.app.live.writer.once(op(opId), async () => ++acted).catch((e: AppError) => e);
    expect(racing).toBeInstanceOf(AppError);
    expect((racing as AppError).message).toMatch(/still running/);
    release();
    expect(await first).toEqual({ data: 1, replayed: false });
    expect(acted).toBe(1);

    const failing = crypto.randomUUID();
    await expect(
      t.app.live.writer.once(op(failing), () => Promise.reject(new AppError('not_found', 'gone'))),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.app.live.writer.once(op(failing), async () => 'done')).toEqual({ data: 'done', replayed: false });
  });
});
