/**
 * Live polls with real Socket.IO clients and a real Redis: the draft → open → closed lifecycle and
 * what each role sees of it, exact tallies under ~200 concurrent voters changing their votes (with
 * retried op ids), every kind of poll, own ballots in the snapshot, and results kept for the archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll, PollBallot, PollsListing } from '@colloquy/shared';
import { closedPollsWithResults, closeOpenPolls } from '../../server/src/polls/feature.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith } from '../support/people.ts';
import { inputOf } from '../../server/src/events/collection.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';
import { draft, emit, launched, member, ok, PollsView, type Member } from './polls-support.ts';

let t: TestApp;
const sockets: ClientSocket[] = [];
const track = (m: Member) => (sockets.push(m.socket), m);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

async function listing(cookie: string, slug: string): Promise<PollsListing> {
  const res = await api(t, 'get', `/api/events/${slug}/polls`, { cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as PollsListing;
}

const poll = (v: PollsView, id: string) => expect.poll(() => v.poll(id), { timeout: 5000, interval: 20 });

describe('a poll from draft to archive', () => {
  it('shows drafts to staff only, results to the audience only once published, and keeps them', async () => {
    const event = await makeEvent(t, 'polls-lifecycle', 'live');
    const mod = track(await member(t, 'moderator', event.id));
    const aud = track(await member(t, 'audience', event.id));
    const modView = await PollsView.start(mod.socket, event.slug);
    const audView = await PollsView.start(aud.socket, event.slug);

    const d = await draft(mod.socket, event.slug, {
      kind: 'single',
      question: 'Which matters most?',
      options: ['Time', 'Trust', 'Tools'],
    });
    expect(d).toMatchObject({ state: 'draft', published: false, options: [{ id: 'o1', text: 'Time' }, {}, {}] });
    expect(d.results).toEqual({ voters: 0, counts: { o1: 0, o2: 0, o3: 0 } });
    await poll(modView, d.id).toMatchObject({ state: 'draft' });
    expect((await listing(aud.person.cookie, event.slug)).polls).toEqual([]);
    expect((await listing(mod.person.cookie, event.slug)).polls.map((p) => p.id)).toEqual([d.id]);

    const edited = await ok<Poll>(mod.socket, 'polls:update', {
      slug: event.slug,
      pollId: d.id,
      kind: 'multiple',
      question: 'Which matter most?',
      options: ['Time', 'Trust', 'Tools', 'Training'],
    });
    expect(edited).toMatchObject({ kind: 'multiple', question: 'Which matter most?' });
    expect(edited.options).toHaveLength(4);

    const opened = await ok<Poll>(mod.socket, 'polls:open', { slug: event.slug, pollId: d.id });
    expect(opened.state).toBe('open');
    expect(opened.openedAt).not.toBeNull();
    // The audience sees the question and options, without counts.
    await poll(audView, d.id).toMatchObject({ state: 'open', results: null, options: edited.options });

    const ballot = await ok<PollBallot>(aud.socket, 'polls:vote', {
      slug: event.slug,
      pollId: d.id,
      choices: ['o2', 'o4'],
    });
    expect(ballot).toEqual({ choices: ['o2', 'o4'] });
    await poll(modView, d.id).toMatchObject({ results: { voters: 1, counts: { o1: 0, o2: 1, o3: 0, o4: 1 } } });
    expect(audView.poll(d.id)?.results).toBeNull();

    await ok(mod.socket, 'polls:publish', { slug: event.slug, pollId: d.id, published: true });
    await poll(audView, d.id).toMatchObject({ published: true, results: { voters: 1, counts: { o2: 1, o4: 1 } } });

    const closed = await ok<Poll>(mod.socket, 'polls:close', { slug: event.slug, pollId: d.id });
    expect(closed).toMatchObject({ state: 'closed', results: { voters: 1 } });
    await poll(audView, d.id).toMatchObject({ state: 'closed' });
    const late = await emit(aud.socket, 'polls:vote', {
      slug: event.slug,
      opId: crypto.randomUUID(),
      pollId: d.id,
      choices: ['o1'],
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Unpublish hides the counts again; publish once more for the archive.
    await ok(mod.socket, 'polls:publish', { slug: event.slug, pollId: d.id, published: false });
    await poll(audView, d.id).toMatchObject({ published: false, results: null });
    await ok(mod.socket, 'polls:publish', { slug: event.slug, pollId: d.id, published: true });

    // The viewer's ballot is part of their snapshot and of the REST listing.
    const again = await PollsView.start(aud.socket, event.slug);
    expect(again.state.mine).toEqual({ [d.id]: { choices: ['o2', 'o4'] } });
    expect((await listing(aud.person.cookie, event.slug)).mine).toEqual({ [d.id]: { choices: ['o2', 'o4'] } });
    expect(audView.gaps + modView.gaps).toBe(0);

    // After the event: participants still read the published results; the archive gets them all.
    await t.app.catalogue.store.putEvent({ ...inputOf(event), status: 'ended' }, 'organizer', event);
    const ended = await emit(mod.socket, 'polls:open', {
      slug: event.slug,
      opId: crypto.randomUUID(),
      pollId: (await draft(mod.socket, event.slug, { kind: 'rating', question: 'Too late?' })).id,
    });
    expect(ended).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const after = await listing(aud.person.cookie, event.slug);
    expect(after.polls).toEqual([
      expect.objectContaining({ id: d.id, results: { voters: 1, counts: expect.any(Object) } }),
    ]);
    expect(await closedPollsWithResults(t.redis, event.id)).toEqual([
      expect.objectContaining({
        id: d.id,
        state: 'closed',
        results: { voters: 1, counts: { o1: 0, o2: 1, o3: 0, o4: 1 } },
      }),
    ]);
    const visitor = await api(t, 'get', `/api/events/${event.slug}/polls`);
    expect(visitor.status).toBe(401);
  });

  it('closes polls left open when asked at the end of an event', async () => {
    const event = await makeEvent(t, 'polls-end', 'live');
    const mod = track(await member(t, 'moderator', event.id));
    const p = await launched(mod.socket, event.slug, { kind: 'rating', question: 'How useful was this?' });
    await draft(mod.socket, event.slug, { kind: 'words', question: 'Never launched' });
    expect(await closedPollsWithResults(t.redis, event.id)).toEqual([]);
    expect(await closeOpenPolls(t.app.live, t.redis, event, new Date())).toBe(1);
    expect(await closedPollsWithResults(t.redis, event.id)).toEqual([
      expect.objectContaining({ id: p.id, state: 'closed', options: [] }),
    ]);
  });
});

describe('tallies under load', () => {
  it('equals the sum of the current ballots with ~200 concurrent voters changing votes and retrying', async () => {
    const event = await makeEvent(t, 'polls-storm', 'live');
    const mod = track(await member(t, 'moderator', event.id));
    const observer = track(await member(t, 'audience', event.id, 'Observer'));
    const modView = await PollsView.start(mod.socket, event.slug);
    const p = await launched(mod.socket, event.slug, {
      kind: 'single',
      question: 'Where are you joining from?',
      options: ['Africa', 'Asia', 'Europe', 'Americas', 'Oceania'],
    });
    await ok(mod.socket, 'polls:publish', { slug: event.slug, pollId: p.id, published: true });
    const obsView = await PollsView.start(observer.socket, event.slug);

    const N = 200;
    const voters = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const person = await personWith(t, 'audience', event.id, `Voter ${i}`);
        const socket = await socketFor(t.url, person.cookie);
        sockets.push(socket);
        return socket;
      }),
    );
    const pick = () => `o${1 + Math.floor(Math.random() * 5)}`;
    const finals = await Promise.all(
      voters.map(async (s) => {
        // A first vote, its retry (same op id: counted once), then one or two changes of mind.
        const first = { slug: event.slug, opId: crypto.randomUUID(), pollId: p.id, choices: [pick()] };
        const [a, b] = await Promise.all([emit(s, 'polls:vote', first), emit(s, 'polls:vote', first)]);
        expect(a.ok && b.ok).toBe(true);
        let last = first.choices[0]!;
        for (let k = 0; k < 1 + Math.floor(Math.random() * 2); k++) {
          last = pick();
          const ack = await emit(s, 'polls:vote', {
            slug: event.slug,
            opId: crypto.randomUUID(),
            pollId: p.id,
            choices: [last],
          });
          expect(ack.ok).toBe(true);
        }
        return last;
      }),
    );
    const expected: Record<string, number> = { o1: 0, o2: 0, o3: 0, o4: 0, o5: 0 };
    for (const f of finals) expected[f]! += 1;

    const staff = await listing(mod.person.cookie, event.slug);
    expect(staff.polls[0]!.results).toEqual({ voters: N, counts: expected });
    // Every client that follows the deltas ends showing exactly the server's tally.
    await poll(modView, p.id).toMatchObject({ results: { voters: N, counts: expected } });
    await poll(obsView, p.id).toMatchObject({ results: { voters: N, counts: expected } });
    expect(modView.gaps + obsView.gaps).toBe(0);
    // The Redis tally itself holds no stray members and agrees with the ballots hash.
    const ballots = await t.redis.hGetAll(`cq:polls:${event.id}:${p.id}:ballots`);
    expect(Object.keys(ballots)).toHaveLength(N);
    const fromBallots: Record<string, number> = { o1: 0, o2: 0, o3: 0, o4: 0, o5: 0 };
    for (const b of Object.values(ballots)) for (const c of JSON.parse(b) as string[]) fromBallots[c]! += 1;
    expect(fromBallots).toEqual(expected);
  });
});

describe('each kind of poll', () => {
  let event: Awaited<ReturnType<typeof makeEvent>>;
  let mod: Member;
  let a: Member;
  let b: Member;
  beforeAll(async () => {
    event = await makeEvent(t, 'polls-kinds', 'live');
    mod = track(await member(t, 'moderator', event.id));
    a = track(await member(t, 'audience', event.id, 'A'));
    b = track(await member(t, 'speaker', event.id, 'B'));
  });
  const vote = (m: Member, pollId: string, choices: string[]) =>
    ok<PollBallot>(m.socket, 'polls:vote', { slug: event.slug, pollId, choices });
  const results = async (id: string) =>
    (await listing(mod.person.cookie, event.slug)).polls.find((p) => p.id === id)!.results;

  it('multiple choice: a changed ballot moves every choice', async () => {
    const p = await launched(mod.socket, event.slug, {
      kind: 'multiple',
      question: 'Pick any',
      options: ['x', 'y', 'z'],
    });
    await vote(a, p.id, ['o1', 'o2']);
    await vote(b, p.id, ['o2', 'o3']);
    expect(await results(p.id)).toEqual({ voters: 2, counts: { o1: 1, o2: 2, o3: 1 } });
    await vote(a, p.id, ['o3']);
    expect(await results(p.id)).toEqual({ voters: 2, counts: { o1: 0, o2: 1, o3: 2 } });
  });

  it('rating 1–5: one rating per person', async () => {
    const p = await launched(mod.socket, event.slug, { kind: 'rating', question: 'Rate the panel' });
    expect(p.options).toEqual([]);
    await vote(a, p.id, ['4']);
    await vote(b, p.id, ['5']);
    await vote(b, p.id, ['2']);
    expect(await results(p.id)).toEqual({ voters: 2, counts: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 } });
  });

  it('word cloud: up to three short answers, normalized, repeated answers counted once per person', async () => {
    const p = await launched(mod.socket, event.slug, { kind: 'words', question: 'One word for today?' });
    const mine = await vote(a, p.id, ['  Hope ', 'TRUST', 'hope', 'shared   leadership']);
    expect(mine).toEqual({ choices: ['hope', 'trust', 'shared leadership'] });
    await vote(b, p.id, ['Trust']);
    expect(await results(p.id)).toEqual({ voters: 2, counts: { hope: 1, trust: 2, 'shared leadership': 1 } });
    await vote(a, p.id, ['courage']);
    // Answers nobody holds any more leave the cloud.
    expect(await results(p.id)).toEqual({ voters: 2, counts: { trust: 1, courage: 1 } });
  });
});
