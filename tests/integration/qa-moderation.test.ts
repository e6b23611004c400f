/**
 * Moderated Q&A end to end over real Socket.IO clients and Redis: asking (anonymous or not),
 * what the audience, speakers and moderators each see (live and over REST), pre-moderation,
 * the word filter, approve / edit / merge / pin / answered / dismiss, upvotes and their withdrawal,
 * the "answering now" times recorded for the archive, and the report target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot, QaQuestion, QaSettings, QaState, QaVoteResult } from '@colloquy/shared';
import { qaFeature } from '../../server/src/qa/feature.ts';
import { Live } from '../../server/src/live/registry.ts';
import { versionKey } from '../../server/src/live/ops.ts';
import type { FeatureDeps } from '../../server/src/live/feature.ts';
import type { ReportTarget } from '../../server/src/moderation/moderation.ts';
import type { IoSocket } from '../../server/src/realtime/types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { QaMirror, write } from '../support/qa-live.ts';
import { socketFor } from '../support/sockets.ts';

const SLUG = 'qa-moderated';
let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
const people: Record<'mod' | 'amani' | 'bo' | 'speaker', Person> = {} as never;
const m: Record<'mod' | 'amani' | 'bo' | 'speaker', QaMirror> = {} as never;

async function mirrorFor(p: Person) {
  const mirror = new QaMirror(await socketFor(t.url, p.cookie), SLUG);
  await mirror.start();
  return mirror;
}

/** Resolves once every mirror has applied everything written so far (the server's version). */
async function settled() {
  t.app.live.hub.flush();
  const version = Number((await t.redis.get(versionKey(event.id, 'qa'))) ?? 0);
  await expect
    .poll(() => Object.values(m).filter((x) => x.version !== version).length, { timeout: 5000, interval: 10 })
    .toBe(0);
}

async function ok<T>(p: Promise<{ ok: true; data: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.data;
}

const rest = async (cookie: string) => {
  const res = await api(t, 'get', `/api/events/${SLUG}/questions`, { cookie });
  return { status: res.status, body: (await res.json()) as LiveSnapshot<QaState> };
};

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, SLUG, 'live');
  people.mod = await personWith(t, 'moderator', event.id, 'Mona Moderator');
  people.amani = await personWith(t, 'audience', event.id, 'Amani <b>Njeri</b>');
  people.bo = await personWith(t, 'audience', event.id, 'Bo');
  people.speaker = await personWith(t, 'speaker', event.id, 'Dr. Speaker');
  for (const k of Object.keys(people) as (keyof typeof people)[]) m[k] = await mirrorFor(people[k]);
});
afterAll(async () => {
  for (const x of Object.values(m)) x.close();
  await t.close();
});

describe('asking without pre-moderation', () => {
  let open: QaQuestion;
  let anon: QaQuestion;

  it('shows a question to everyone at once, with its author', async () => {
    open = await ok(
      write<QaQuestion>(m.amani.socket, 'qa:ask', { slug: SLUG, text: '  How do rural schools cope?  ' }),
    );
    expect(open).toMatchObject({
      text: 'How do rural schools cope?',
      status: 'approved',
      votes: 0,
      edited: false,
      anonymous: false,
      author: { id: people.amani.userId, name: 'Amani <b>Njeri</b>' },
    });
    await settled();
    for (const x of [m.amani, m.bo, m.speaker]) expect(x.view.questions[open.id]).toEqual(open);
    expect(m.mod.view.questions[open.id]).toEqual({ ...open, flagged: false });
  });

  it('hides an anonymous question’s author from attendees and speakers, never from moderators', async () => {
    anon = await ok(
      write<QaQuestion>(m.bo.socket, 'qa:ask', { slug: SLUG, text: 'Is the data private?', anonymous: true }),
    );
    expect(anon.author).toEqual({ id: people.bo.userId, name: 'Bo' }); // the author's own view
    await settled();
    for (const x of [m.amani, m.speaker]) {
      expect(x.view.questions[anon.id]).toMatchObject({ anonymous: true, author: null });
      expect(JSON.stringify(x.view.questions[anon.id])).not.toContain(people.bo.userId!);
    }
    expect(m.mod.view.questions[anon.id]).toMatchObject({ anonymous: true, author: { name: 'Bo' } });
    // Over REST too, and on a fresh snapshot.
    const audienceRest = await rest(people.amani.cookie);
    expect(audienceRest.status).toBe(200);
    expect(audienceRest.body.state.questions[anon.id]!.author).toBeNull();
    expect(JSON.stringify(audienceRest.body)).not.toContain(people.bo.userId!);
    expect((await rest(people.mod.cookie)).body.state.questions[anon.id]!.author).toEqual({
      id: people.bo.userId,
      name: 'Bo',
    });
    // The author still learns it is theirs.
    expect((await rest(people.bo.cookie)).body.state.mine).toContain(anon.id);
  });

  it('counts one upvote per person, withdrawable, with "my vote" in the voter’s snapshot', async () => {
    const up = await ok(write<QaVoteResult>(m.bo.socket, 'qa:vote', { slug: SLUG, questionId: open.id, up: true }));
    expect(up).toEqual({ questionId: open.id, voted: true, votes: 1 });
    await ok(write(m.speaker.socket, 'qa:vote', { slug: SLUG, questionId: open.id, up: true }));
    await settled();
    for (const x of Object.values(m)) expect(x.votes(open.id)).toBe(2);
    expect((await rest(people.bo.cookie)).body.state.myVotes).toEqual([open.id]);
    expect((await rest(people.amani.cookie)).body.state.myVotes).toEqual([]);
    const down = await ok(write(m.bo.socket, 'qa:vote', { slug: SLUG, questionId: open.id, up: false }));
    expect(down).toEqual({ questionId: open.id, voted: false, votes: 1 });
    await settled();
    for (const x of Object.values(m)) expect(x.votes(open.id)).toBe(1);
  });

  it('refuses the REST snapshot to visitors', async () => {
    expect((await rest('')).status).toBe(401);
  });
});

describe('pre-moderation', () => {
  let held: QaQuestion;

  it('is a per-event switch for staff, shown to everyone in the snapshot', async () => {
    const s = await ok(write<QaSettings>(m.mod.socket, 'qa:settings', { slug: SLUG, premoderation: true }));
    expect(s).toEqual({ premoderation: true, pinnedId: null });
    await settled();
    for (const x of Object.values(m)) expect(x.view.settings.premoderation).toBe(true);
    expect((await rest(people.amani.cookie)).body.state.settings.premoderation).toBe(true);
  });

  it('holds new questions for staff and their author only', async () => {
    held = await ok(write<QaQuestion>(m.amani.socket, 'qa:ask', { slug: SLUG, text: 'Who funds this?' }));
    expect(held.status).toBe('pending');
    await settled();
    expect(m.mod.view.questions[held.id]).toMatchObject({ status: 'pending', author: { name: 'Amani <b>Njeri</b>' } });
    expect(m.bo.view.questions[held.id]).toBeUndefined();
    expect(m.speaker.view.questions[held.id]).toBeUndefined();
    expect((await rest(people.bo.cookie)).body.state.questions[held.id]).toBeUndefined();
    expect((await rest(people.speaker.cookie)).body.state.questions[held.id]).toBeUndefined();
    // The author sees it in their own snapshot, marked pending.
    expect((await rest(people.amani.cookie)).body.state.questions[held.id]).toMatchObject({ status: 'pending' });
    await m.amani.resync();
    expect(m.amani.view.questions[held.id]?.status).toBe('pending');
    // Nobody can vote on it yet.
    expect(await write(m.bo.socket, 'qa:vote', { slug: SLUG, questionId: held.id, up: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('lets a moderator correct the typo and approve it: everyone sees it, marked edited', async () => {
    const edited = await ok(
      write<QaQuestion>(m.mod.socket, 'qa:edit', { slug: SLUG, questionId: held.id, text: 'Who funds this work?' }),
    );
    expect(edited).toMatchObject({ text: 'Who funds this work?', edited: true, status: 'pending' });
    await ok(write(m.mod.socket, 'qa:approve', { slug: SLUG, questionId: held.id }));
    await settled();
    for (const x of Object.values(m)) {
      expect(x.view.questions[held.id]).toMatchObject({
        text: 'Who funds this work?',
        edited: true,
        status: 'approved',
      });
    }
  });

  it('dismisses a question for everyone', async () => {
    const doomed = await ok(write<QaQuestion>(m.bo.socket, 'qa:ask', { slug: SLUG, text: 'Buy my course!' }));
    await settled();
    expect(m.mod.view.questions[doomed.id]).toBeDefined();
    expect(await write(m.mod.socket, 'qa:dismiss', { slug: SLUG, questionId: doomed.id })).toMatchObject({
      ok: true,
      data: null,
    });
    await settled();
    for (const x of Object.values(m)) expect(x.view.questions[doomed.id]).toBeUndefined();
    await m.bo.resync();
    expect(m.bo.view.questions[doomed.id]).toBeUndefined();
    await ok(write(m.mod.socket, 'qa:settings', { slug: SLUG, premoderation: false }));
  });
});

describe('answering now', () => {
  it('pins one question at a time, records when each was answered, and marks it answered', async () => {
    const a = await ok(write<QaQuestion>(m.amani.socket, 'qa:ask', { slug: SLUG, text: 'First to answer?' }));
    const b = await ok(write<QaQuestion>(m.bo.socket, 'qa:ask', { slug: SLUG, text: 'Second to answer?' }));
    expect(await write(m.mod.socket, 'qa:pin', { slug: SLUG, questionId: a.id })).toMatchObject({
      ok: true,
      data: { pinnedId: a.id },
    });
    await settled();
    for (const x of Object.values(m)) expect(x.view.settings.pinnedId).toBe(a.id);
    expect(m.amani.view.questions[a.id]!.answeringAt).toEqual([{ start: expect.any(String), end: null }]);

    // Pinning another unpins the first and closes its time span.
    await ok(write(m.mod.socket, 'qa:pin', { slug: SLUG, questionId: b.id }));
    await settled();
    for (const x of Object.values(m)) expect(x.view.settings.pinnedId).toBe(b.id);
    const spanA = m.bo.view.questions[a.id]!.answeringAt!;
    expect(spanA).toHaveLength(1);
    expect(Date.parse(spanA[0]!.end!)).toBeGreaterThanOrEqual(Date.parse(spanA[0]!.start));

    // Marking it answered unpins it and closes its span.
    const answered = await ok(write<QaQuestion>(m.mod.socket, 'qa:answered', { slug: SLUG, questionId: b.id }));
    expect(answered.status).toBe('answered');
    await settled();
    for (const x of Object.values(m)) {
      expect(x.view.settings.pinnedId).toBeNull();
      expect(x.view.questions[b.id]!.status).toBe('answered');
    }
    // The REST snapshot carries the times for the archive.
    const body = (await rest(people.speaker.cookie)).body;
    expect(body.state.questions[b.id]!.answeringAt).toEqual([{ start: expect.any(String), end: expect.any(String) }]);
    expect(body.state.questions[a.id]!.answeringAt).toEqual(spanA);
    expect(body.version).toBe(m.speaker.version);
    // Nothing is pinned now: unpinning again is refused.
    expect(await write(m.mod.socket, 'qa:pin', { slug: SLUG, questionId: null })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });
});

describe('the word filter and reports (module level, with a stand-in moderation module)', () => {
  it('sends a question matching the filter to the queue even without pre-moderation, and describes questions for reports', async () => {
    const targets = new Map<string, ReportTarget>();
    const live = new Live(t.redis);
    const deps = {
      redis: t.redis,
      live,
      moderation: {
        blockedWords: async (text: string) => (/\bspam\b/i.test(text) ? ['spam'] : []),
        registerReportTarget: (kind: string, target: ReportTarget) => targets.set(kind, target),
      },
      now: () => new Date(),
    } as unknown as FeatureDeps;
    const feature = qaFeature(deps);
    const principal = { userId: people.bo.userId!, displayName: 'Bo', kind: 'guest' } as never;
    const g = { principal, role: 'audience' as const, event };
    const run = (text: string) =>
      feature.socketHandlers['qa:ask'].run({} as IoSocket, { slug: SLUG, opId: crypto.randomUUID(), text }, g);
    const clean = (await run('A clean question')).data as QaQuestion;
    const dirty = (await run('Win SPAM prizes')).data as QaQuestion;
    expect(clean.status).toBe('approved');
    expect(dirty.status).toBe('pending');
    const staff = await live.snapshot(event, 'qa', { role: 'moderator', userId: people.mod.userId });
    expect((staff.state as QaState).questions[dirty.id]).toMatchObject({ status: 'pending', flagged: true });
    live.hub.close();

    const target = targets.get('question')!;
    expect(await target.describe(event.id, dirty.id)).toEqual({
      text: 'Win SPAM prizes',
      authorId: people.bo.userId,
      authorName: 'Bo',
    });
    expect(await target.describe(event.id, '999999')).toBeNull();
    expect(await target.describe(event.id, '../x')).toBeNull();
  });
});
