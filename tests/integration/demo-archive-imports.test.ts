/**
 * The import helpers the demo archives use (qa/import.ts, polls/import.ts): they replace an ended
 * event's questions and polls with archived ones that the visitors' projections then serve exactly like
 * a live panel's, refuse an event that has not ended, and store nothing from a bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { PollsListing, QaState } from '@colloquy/shared';
import { AppError } from '../../server/src/http/errors.ts';
import { closedPollsWithResults } from '../../server/src/polls/feature.ts';
import { importClosedPolls } from '../../server/src/polls/import.ts';
import { readPolls } from '../../server/src/polls/store.ts';
import type { EventRecord } from '../../server/src/events/store.ts';
import { importArchivedQuestions } from '../../server/src/qa/import.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';

let t: TestApp;
let ended: Awaited<ReturnType<typeof makeEvent>>;
let live: Awaited<ReturnType<typeof makeEvent>>;

const T = (s: number) => new Date(Date.UTC(2021, 3, 27, 11, 0, s)).toISOString();

const question = (text: string, authorName: string | null, at: number) => ({
  text,
  authorName,
  votes: 5,
  createdAt: T(0),
  answeringAt: [{ start: T(at), end: T(at + 20) }],
});

const poll = (published: boolean) => ({
  question: 'Who should be at the table first?',
  options: ['School leaders', 'Families', 'Local government'],
  counts: [3, 2, 0],
  openedAt: T(10),
  closedAt: T(40),
  published,
});

/** What a visitor is served (the projection the past-event page reads). */
async function publicQa(event: EventRecord): Promise<{ version: number; state: QaState }> {
  const snap = await t.app.live.snapshot(event, 'qa', { role: 'visitor', userId: null });
  return { version: snap.version, state: snap.state as QaState };
}

async function publicPolls(event: EventRecord): Promise<PollsListing> {
  return readPolls(t.redis, event.id, { staff: false, userId: null });
}

beforeAll(async () => {
  t = await startTestApp();
  ended = await makeEvent(t, 'imports-ended', 'ended');
  live = await makeEvent(t, 'imports-live', 'live');
});
afterAll(() => t?.close());

describe('importArchivedQuestions', () => {
  it('refuses an event that has not ended, and a bad question, storing nothing', async () => {
    await expect(importArchivedQuestions(t.app.live, live, [question('Why?', null, 5)])).rejects.toMatchObject(
      new AppError('conflict', 'Only an ended event takes archived questions'),
    );
    const bad = { ...question('No moment', 'Ana', 5), answeringAt: [] };
    await expect(importArchivedQuestions(t.app.live, ended, [bad])).rejects.toBeInstanceOf(ZodError);
    await expect(
      importArchivedQuestions(t.app.live, ended, [{ ...question('x', 'Ana', 5), createdAt: 'yesterday' }]),
    ).rejects.toBeInstanceOf(ZodError);
    const qa = await publicQa(ended);
    expect(qa.version).toBe(0);
    expect(qa.state.questions).toEqual({});
  });

  it('stores answered questions that the public snapshot serves with their moments', async () => {
    const ids = await importArchivedQuestions(t.app.live, ended, [
      question('How do families stay involved?', 'Samira from Casablanca', 30),
      question('What would you do differently?', null, 60),
    ]);
    expect(ids).toEqual(['1', '2']);
    const qa = await publicQa(ended);
    expect(qa.version).toBe(1);
    expect(qa.state.settings.pinnedId).toBeNull();
    expect(qa.state.questions['1']).toMatchObject({
      text: 'How do families stay involved?',
      status: 'answered',
      votes: 5,
      anonymous: false,
      author: { name: 'Samira from Casablanca' },
      answeringAt: [{ start: T(30), end: T(50) }],
    });
    // Anonymous: no author in the public projection, the placeholder in the staff one.
    expect(qa.state.questions['2']).toMatchObject({ anonymous: true, author: null, votes: 5 });
    const staff = await t.app.live.snapshot(ended, 'qa', { role: 'moderator', userId: null });
    expect((staff.state as QaState).questions['2']).toMatchObject({ author: { name: 'Anonymous' }, flagged: false });
  });

  it('replaces the earlier questions on a second import, never reusing an id', async () => {
    const ids = await importArchivedQuestions(t.app.live, ended, [question('Only this one', 'Daniel', 12)]);
    expect(ids).toEqual(['3']);
    const qa = await publicQa(ended);
    expect(Object.keys(qa.state.questions)).toEqual(['3']);
    expect(qa.version).toBe(2);
    expect(await t.redis.exists(`cq:qa:${ended.id}:q:1:voters`)).toBe(0);
    expect(await t.redis.sCard(`cq:qa:${ended.id}:q:3:voters`)).toBe(5);
  });
});

describe('importClosedPolls', () => {
  it('refuses an event that has not ended and counts that do not match the options', async () => {
    await expect(importClosedPolls(t.app.live, live, [poll(true)])).rejects.toBeInstanceOf(AppError);
    await expect(importClosedPolls(t.app.live, ended, [{ ...poll(true), counts: [1, 2] }])).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(importClosedPolls(t.app.live, ended, [{ ...poll(true), closedAt: T(1) }])).rejects.toBeInstanceOf(
      ZodError,
    );
    expect((await publicPolls(ended)).polls).toEqual([]);
  });

  it('stores closed polls with results: public when published, staff-only otherwise', async () => {
    const [shown, hidden] = await importClosedPolls(t.app.live, ended, [poll(true), poll(false)]);
    const listing = await publicPolls(ended);
    expect(listing.polls.map((p) => p.id)).toEqual([shown, hidden]);
    expect(listing.polls[0]).toMatchObject({
      state: 'closed',
      published: true,
      kind: 'single',
      openedAt: T(10),
      closedAt: T(40),
      results: { voters: 5, counts: { o1: 3, o2: 2, o3: 0 } },
    });
    expect(listing.polls[1]).toMatchObject({ published: false, results: null });
    const archived = await closedPollsWithResults(t.redis, ended.id);
    expect(archived.map((p) => p.results?.voters)).toEqual([5, 5]);
  });

  it('replaces the earlier polls and their ballots on a second import', async () => {
    const before = await closedPollsWithResults(t.redis, ended.id);
    const [only] = await importClosedPolls(t.app.live, ended, [{ ...poll(true), counts: [1, 1, 1] }]);
    const after = await closedPollsWithResults(t.redis, ended.id);
    expect(after.map((p) => p.id)).toEqual([only]);
    expect(after[0]!.results).toEqual({ voters: 3, counts: { o1: 1, o2: 1, o3: 1 } });
    for (const p of before) {
      expect(await t.redis.exists(`cq:polls:${ended.id}:${p.id}:ballots`)).toBe(0);
      expect(await t.redis.exists(`cq:polls:${ended.id}:${p.id}:tally`)).toBe(0);
    }
  });
});
