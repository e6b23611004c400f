/**
 * The storm, with real Socket.IO clients and a real Redis: 500 audience members upvote one
 * question at the same moment, and every client — each folding deltas with the browser's reducer,
 * with gap detection and snapshot resync — ends showing exactly 500. Each then retries with the same
 * op id, and nothing changes. Moderation events from an audience socket are refused.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QaQuestion, QaVoteResult } from '@colloquy/shared';
import { versionKey } from '../../server/src/live/ops.ts';
import { qaPrefix } from '../../server/src/qa/scripts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';
import { QaMirror, write } from '../support/qa-live.ts';
import { socketFor } from '../support/sockets.ts';

const CLIENTS = 500;
const SLUG = 'qa-storm';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let moderator: QaMirror;
let mirrors: QaMirror[] = [];
let question: QaQuestion;
let duplicate: QaQuestion;

/** Runs `fn` over `items`, `size` at a time (so 500 handshakes do not all land in one tick). */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

async function mirrorFor(p: Person): Promise<QaMirror> {
  const m = new QaMirror(await socketFor(t.url, p.cookie), SLUG);
  await m.start();
  return m;
}

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, SLUG, 'live');
  moderator = await mirrorFor(await personWith(t, 'moderator', event.id, 'Mona Moderator'));
  const asker = await mirrorFor(await personWith(t, 'audience', event.id, 'Amani'));
  const asked = await write<QaQuestion>(asker.socket, 'qa:ask', {
    slug: SLUG,
    text: 'How do you keep classes going when the power fails?',
  });
  if (!asked.ok) throw new Error(JSON.stringify(asked.error));
  question = asked.data;
  const dup = await write<QaQuestion>(asker.socket, 'qa:ask', { slug: SLUG, text: 'What if the power fails?' });
  if (!dup.ok) throw new Error(JSON.stringify(dup.error));
  duplicate = dup.data;
  asker.close();

  // 500 distinct audience members: sessions and roles made through the app's own auth stores.
  const people = await inBatches(
    Array.from({ length: CLIENTS }, (_, i) => i),
    100,
    (i) => personWith(t, 'audience', event.id, `Voter ${i}`),
  );
  mirrors = await inBatches(people, 50, mirrorFor);
}, 120_000);

afterAll(async () => {
  for (const m of [...mirrors, moderator]) m?.close();
  await t?.close();
});

describe('500 clients upvote one question at once', () => {
  const opIds = Array.from({ length: CLIENTS }, () => crypto.randomUUID());
  const firstAcks: unknown[] = [];

  it('acks every vote and every client ends showing exactly 500', async () => {
    expect(mirrors.every((m) => m.synced && m.votes(question.id) === 0)).toBe(true);
    const start = performance.now();
    const acks = await Promise.all(
      mirrors.map((m, i) =>
        write<QaVoteResult>(m.socket, 'qa:vote', { slug: SLUG, questionId: question.id, up: true }, opIds[i]),
      ),
    );
    const acked = performance.now();
    firstAcks.push(...acks);
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    // Each vote saw its own count: exactly one ack for every count from 1 to 500.
    const counts = acks.map((a) => (a.ok ? a.data.votes : -1)).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: CLIENTS }, (_, i) => i + 1));

    await expect
      .poll(() => [...mirrors, moderator].filter((m) => m.votes(question.id) !== CLIENTS).length, {
        timeout: 20_000,
        interval: 20,
      })
      .toBe(0);
    const shown = performance.now();
    expect(await t.redis.sCard(`${qaPrefix(event.id)}q:${question.id}:voters`)).toBe(CLIENTS);
    expect(await t.redis.hGet(`${qaPrefix(event.id)}q:${question.id}`, 'votes')).toBe(String(CLIENTS));
    const deltas = mirrors.map((m) => m.deltas);
    console.info(
      `[qa storm] ${CLIENTS} votes acked in ${Math.round(acked - start)} ms; every client showed ${CLIENTS} ` +
        `${Math.round(shown - start)} ms after the first emit; deltas per client: ` +
        `min ${Math.min(...deltas)}, max ${Math.max(...deltas)}; snapshots after the first: ` +
        `${mirrors.reduce((n, m) => n + m.resyncs - 1, 0)}`,
    );
    // Coalesced: far fewer packets than votes.
    expect(Math.max(...deltas)).toBeLessThan(CLIENTS / 5);
  });

  it('answers each retry with the first ack and leaves the count at 500', async () => {
    t.app.live.hub.flush();
    const emittedBefore = t.app.live.hub.emitted;
    const version = await t.redis.get(versionKey(event.id, 'qa'));
    const retries = await Promise.all(
      mirrors.map((m, i) =>
        write<QaVoteResult>(m.socket, 'qa:vote', { slug: SLUG, questionId: question.id, up: true }, opIds[i]),
      ),
    );
    expect(retries).toEqual(firstAcks);
    t.app.live.hub.flush();
    expect(t.app.live.hub.emitted).toBe(emittedBefore); // nothing was broadcast
    expect(await t.redis.get(versionKey(event.id, 'qa'))).toBe(version);
    expect(await t.redis.sCard(`${qaPrefix(event.id)}q:${question.id}:voters`)).toBe(CLIENTS);
    expect(mirrors.every((m) => m.votes(question.id) === CLIENTS)).toBe(true);
    // A fresh snapshot agrees.
    await mirrors[0]!.resync();
    expect(mirrors[0]!.votes(question.id)).toBe(CLIENTS);
    expect(mirrors[0]!.view.myVotes[question.id]).toBe(true);
  });

  it('refuses approve, dismiss and merge from an audience socket, and changes nothing', async () => {
    const audience = mirrors[1]!.socket;
    const version = await t.redis.get(versionKey(event.id, 'qa'));
    const before = await t.redis.hGetAll(`${qaPrefix(event.id)}q:${question.id}`);
    const refusals = await Promise.all([
      write(audience, 'qa:approve', { slug: SLUG, questionId: question.id }),
      write(audience, 'qa:dismiss', { slug: SLUG, questionId: question.id }),
      write(audience, 'qa:merge', { slug: SLUG, questionId: duplicate.id, intoId: question.id }),
    ]);
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.redis.get(versionKey(event.id, 'qa'))).toBe(version);
    expect(await t.redis.hGetAll(`${qaPrefix(event.id)}q:${question.id}`)).toEqual(before);
    expect(await t.redis.hGet(`${qaPrefix(event.id)}q:${duplicate.id}`, 'status')).toBe('approved');
  });

  it('merges a duplicate the same 500 voted for: the voters are united, one vote each', async () => {
    // Half of the voters also upvote the duplicate, plus one person who did not vote before.
    const extra = await mirrorFor(await personWith(t, 'audience', event.id, 'Late voter'));
    const voters = [...mirrors.slice(0, 250), extra];
    const acks = await Promise.all(
      voters.map((m) => write(m.socket, 'qa:vote', { slug: SLUG, questionId: duplicate.id, up: true })),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const merged = await write<QaQuestion>(moderator.socket, 'qa:merge', {
      slug: SLUG,
      questionId: duplicate.id,
      intoId: question.id,
    });
    expect(merged).toMatchObject({ ok: true, data: { id: question.id, votes: CLIENTS + 1 } });
    await expect
      .poll(
        () =>
          [...mirrors, moderator, extra].filter(
            (m) => m.votes(question.id) !== CLIENTS + 1 || m.view.questions[duplicate.id] !== undefined,
          ).length,
        { timeout: 10_000, interval: 20 },
      )
      .toBe(0);
    extra.close();
  });
});
