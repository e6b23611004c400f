/**
 * Bad input to the polls feature, over real Socket.IO clients and Redis: each gets a typed refusal
 * and changes nothing (the staff listing, tallies and version are the same before and after).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PollsListing, Poll } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';
import { draft, emit, launched, member, ok, type Member } from './polls-support.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let mod: Member;
let aud: Member;
let visitor: ClientSocket;
let open: Poll;
let closed: Poll;
let drafted: Poll;
let words: Poll;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'polls-refusals', 'live');
  mod = await member(t, 'moderator', event.id);
  aud = await member(t, 'audience', event.id);
  visitor = await socketFor(t.url);
  open = await launched(mod.socket, event.slug, { kind: 'single', question: 'Open?', options: ['Yes', 'No'] });
  closed = await launched(mod.socket, event.slug, { kind: 'single', question: 'Closed?', options: ['Yes', 'No'] });
  words = await launched(mod.socket, event.slug, { kind: 'words', question: 'A word?' });
  await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: closed.id, choices: ['o1'] });
  await ok(mod.socket, 'polls:close', { slug: event.slug, pollId: closed.id });
  drafted = await draft(mod.socket, event.slug, { kind: 'multiple', question: 'Draft?', options: ['A', 'B'] });
  await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: open.id, choices: ['o2'] });
});
const extra: ClientSocket[] = [];
/** Another person with `role` (each socket event is rate-limited per person: 40 per 10 s). */
async function another(role: 'moderator' | 'audience'): Promise<Member> {
  const m = await member(t, role, event.id);
  extra.push(m.socket);
  return m;
}
afterAll(async () => {
  for (const s of [mod.socket, aud.socket, visitor, ...extra]) s.disconnect();
  await t.close();
});

async function staffListing(): Promise<PollsListing> {
  const res = await api(t, 'get', `/api/events/${event.slug}/polls`, { cookie: mod.person.cookie });
  return (await res.json()) as PollsListing;
}

/** Sends `payload` (with a fresh op id unless it has one) and expects `code`, with nothing changed. */
async function refused(s: ClientSocket, name: string, payload: object, code: string) {
  const before = await staffListing();
  const ack = await emit(s, name, { slug: event.slug, opId: crypto.randomUUID(), ...payload });
  expect(ack, `${name} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code } });
  expect(await staffListing()).toEqual(before);
}

describe('poll content', () => {
  let staff: Member;
  beforeEach(async () => {
    staff = await another('moderator');
  });
  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['an empty question', { kind: 'single', question: '   ', options: ['a', 'b'] }],
    ['an oversized question', { kind: 'single', question: long(201), options: ['a', 'b'] }],
    ['a control character', { kind: 'single', question: 'Bell\u0007', options: ['a', 'b'] }],
    ['a newline in an option', { kind: 'single', question: 'Q', options: ['a\nb', 'c'] }],
    ['a bidi override', { kind: 'single', question: 'Q\u202E', options: ['a', 'b'] }],
    ['an oversized option', { kind: 'single', question: 'Q', options: [long(81), 'b'] }],
    ['an empty option', { kind: 'multiple', question: 'Q', options: ['a', ''] }],
    ['one option', { kind: 'single', question: 'Q', options: ['a'] }],
    ['too many options', { kind: 'multiple', question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) }],
    ['duplicate options', { kind: 'single', question: 'Q', options: ['Trust', ' trust '] }],
    ['options on a rating', { kind: 'rating', question: 'Q', options: ['a', 'b'] }],
    ['an unknown kind', { kind: 'ranking', question: 'Q', options: ['a', 'b'] }],
    ['an unknown field', { kind: 'words', question: 'Q', state: 'open' }],
  ])('refuses %s', async (_what, content) => {
    await refused(staff.socket, 'polls:create', content, 'validation_failed');
    await refused(staff.socket, 'polls:update', { pollId: drafted.id, ...content }, 'validation_failed');
  });

  it('refuses editing or deleting a launched poll, and publishing a draft', async () => {
    const content = { kind: 'single', question: 'Changed', options: ['a', 'b'] };
    await refused(staff.socket, 'polls:update', { pollId: open.id, ...content }, 'conflict');
    await refused(staff.socket, 'polls:delete', { pollId: closed.id }, 'conflict');
    await refused(staff.socket, 'polls:publish', { pollId: drafted.id, published: true }, 'conflict');
    await refused(staff.socket, 'polls:open', { pollId: open.id }, 'conflict');
    await refused(staff.socket, 'polls:close', { pollId: drafted.id }, 'conflict');
    await refused(staff.socket, 'polls:open', { pollId: crypto.randomUUID() }, 'not_found');
  });

  it('deletes a draft', async () => {
    const d = await draft(staff.socket, event.slug, { kind: 'rating', question: 'Gone soon' });
    expect(await ok(staff.socket, 'polls:delete', { slug: event.slug, pollId: d.id })).toBeNull();
    expect((await staffListing()).polls.some((p) => p.id === d.id)).toBe(false);
  });
});

describe('ballots', () => {
  let voter: Member;
  beforeEach(async () => {
    voter = await another('audience');
  });
  it.each([
    ['a closed poll', () => ({ pollId: closed.id, choices: ['o2'] }), 'conflict'],
    ['a draft', () => ({ pollId: drafted.id, choices: ['o1'] }), 'conflict'],
    ['an unknown poll', () => ({ pollId: crypto.randomUUID(), choices: ['o1'] }), 'not_found'],
    ['an unknown option', () => ({ pollId: open.id, choices: ['o3'] }), 'validation_failed'],
    ['two options on a single-choice poll', () => ({ pollId: open.id, choices: ['o1', 'o2'] }), 'validation_failed'],
    ['no choice', () => ({ pollId: open.id, choices: [] }), 'validation_failed'],
    ['four words', () => ({ pollId: words.id, choices: ['a', 'b', 'c', 'd'] }), 'validation_failed'],
    ['an oversized word', () => ({ pollId: words.id, choices: ['x'.repeat(41)] }), 'validation_failed'],
    ['an empty word', () => ({ pollId: words.id, choices: ['  '] }), 'validation_failed'],
    ['a control character in a word', () => ({ pollId: words.id, choices: ['a\u0000b'] }), 'validation_failed'],
    ['a number for a choice', () => ({ pollId: open.id, choices: [1] }), 'validation_failed'],
    ['a bad poll id', () => ({ pollId: 'o1', choices: ['o1'] }), 'validation_failed'],
  ])('refuses a vote on %s', async (_what, payload, code) => {
    await refused(voter.socket, 'polls:vote', payload(), code);
  });

  it('keeps one ballot per person when they vote again with another op id', async () => {
    await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: open.id, choices: ['o1'] });
    await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: open.id, choices: ['o1'] });
    const p = (await staffListing()).polls.find((x) => x.id === open.id)!;
    expect(p.results).toEqual({ voters: 1, counts: { o1: 1, o2: 0 } });
    await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: open.id, choices: ['o2'] });
  });

  it('answers a retried op id with the first ack, and refuses it for a different payload', async () => {
    const opId = crypto.randomUUID();
    const first = await emit(aud.socket, 'polls:vote', { slug: event.slug, opId, pollId: open.id, choices: ['o1'] });
    expect(first.ok).toBe(true);
    const before = await staffListing();
    expect(await emit(aud.socket, 'polls:vote', { slug: event.slug, opId, pollId: open.id, choices: ['o1'] })).toEqual(
      first,
    );
    await refused(aud.socket, 'polls:vote', { opId, pollId: open.id, choices: ['o2'] }, 'conflict');
    expect(await staffListing()).toEqual(before);
    expect(before.polls.find((x) => x.id === open.id)!.results).toEqual({ voters: 1, counts: { o1: 1, o2: 0 } });
    await ok(aud.socket, 'polls:vote', { slug: event.slug, pollId: open.id, choices: ['o2'] });
  });
});

describe('roles', () => {
  const moderation = () =>
    [
      ['polls:create', { kind: 'single', question: 'Mine now', options: ['a', 'b'] }],
      ['polls:update', { pollId: drafted.id, kind: 'words', question: 'Hijacked' }],
      ['polls:delete', { pollId: drafted.id }],
      ['polls:open', { pollId: drafted.id }],
      ['polls:close', { pollId: open.id }],
      ['polls:publish', { pollId: open.id, published: true }],
    ] as const;

  it('refuses every moderation event from an audience socket', async () => {
    const intruder = await another('audience');
    for (const [name, payload] of moderation()) await refused(intruder.socket, name, payload, 'forbidden');
  });

  it('refuses moderation and votes from a visitor socket', async () => {
    for (const [name, payload] of moderation()) await refused(visitor, name, payload, 'unauthorized');
    await refused(visitor, 'polls:vote', { pollId: open.id, choices: ['o1'] }, 'unauthorized');
  });

  it('gives the audience no drafts and no unpublished counts over REST', async () => {
    const res = await api(t, 'get', `/api/events/${event.slug}/polls`, { cookie: aud.person.cookie });
    const body = (await res.json()) as PollsListing;
    expect(body.polls.map((p) => p.id).sort()).toEqual([open.id, closed.id, words.id].sort());
    expect(body.polls.every((p) => p.results === null)).toBe(true);
    expect(body.mine[open.id]).toEqual({ choices: ['o2'] });
  });
});
