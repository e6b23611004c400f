/**
 * Raised hands and moderator actions over real sockets: who sees which hand, inviting on stage
 * (the grant goes into the next LiveKit token when the person is not in the room yet), sending
 * back, a raise-hand flood, and every moderator action refused to non-staff and on bad targets
 * (acting on a real participant in the LiveKit room is in tests/e2e/stage-livekit.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageHand, StageSpotlight } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { emit, eventually, grantsOf, member, ok, refused, snapshot, tokenFor, type Member } from './stage-support.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let moderator: Member;
let organizer: Member;
let speaker: Member;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'stage-hands', 'live');
  moderator = await member(t, 'moderator', event, 'Mo');
  organizer = await member(t, 'organizer', event);
  speaker = await member(t, 'speaker', event, 'Speaker');
});
afterAll(() => t.close());

const hand = (m: Member, raised: boolean, note?: string) =>
  ok<StageHand | null>(m.socket, 'stage:hand', { slug: event.slug, raised, ...(note === undefined ? {} : { note }) });

describe('raising a hand', () => {
  it('shows the hand to staff and its owner only, with the note', async () => {
    const amina = await member(t, 'audience', event, 'Amina');
    const other = await member(t, 'audience', event, 'Kofi');
    const raised = await hand(amina, true, 'I run a school in Kigali and can share how we did it');
    expect(raised).toMatchObject({ userId: amina.userId, displayName: 'Amina', state: 'raised' });
    expect(raised!.note).toBe('I run a school in Kigali and can share how we did it');

    await eventually(() => amina.you.at(-1)).toEqual({ slug: event.slug, hand: raised, canPublish: false });
    const staffView = await snapshot(moderator.socket, event.slug);
    expect(staffView.state.hands[amina.userId]).toEqual(raised);
    const mine = await snapshot(amina.socket, event.slug);
    expect(mine.state.hands).toEqual({});
    expect(mine.state.myHand).toEqual(raised);
    const theirs = await snapshot(other.socket, event.slug);
    expect(theirs.state.hands).toEqual({});
    expect(theirs.state.myHand).toBeNull();
    // Deltas: staff get the hand, the rest of the audience only that something was hidden.
    await eventually(
      () => moderator.deltas.flatMap((d) => d.changes).find((c) => c.kind === 'hand' && c.id === amina.userId)?.data,
    ).toEqual(raised);
    await eventually(() =>
      other.deltas.flatMap((d) => d.changes).some((c) => c.kind === 'hand' && c.id === amina.userId),
    ).toBe(true);
    expect(other.deltas.flatMap((d) => d.changes).filter((c) => c.kind === 'hand' && c.data !== null)).toEqual([]);

    expect(await hand(amina, false)).toBeNull();
    expect((await snapshot(moderator.socket, event.slug)).state.hands[amina.userId]).toBeUndefined();
  });

  it('refuses a bad note, a hand before the event is live, and a hand from a speaker or staff', async () => {
    const amina = await member(t, 'audience', event, 'Amina');
    await refused(
      amina.socket,
      'stage:hand',
      { slug: event.slug, raised: true, note: 'x'.repeat(141) },
      'validation_failed',
    );
    await refused(
      amina.socket,
      'stage:hand',
      { slug: event.slug, raised: true, note: 'evil\u202Etxt' },
      'validation_failed',
    );
    await refused(amina.socket, 'stage:hand', { slug: event.slug, raised: 'yes' }, 'validation_failed');
    await refused(speaker.socket, 'stage:hand', { slug: event.slug, raised: true }, 'forbidden');
    await refused(moderator.socket, 'stage:hand', { slug: event.slug, raised: true }, 'forbidden');
    const soon = await makeEvent(t, 'stage-hands-soon', 'scheduled');
    const early = await member(t, 'audience', soon);
    await refused(early.socket, 'stage:hand', { slug: soon.slug, raised: true }, 'conflict');
    expect((await snapshot(moderator.socket, event.slug)).state.hands[amina.userId]).toBeUndefined();
  });

  it('refuses a raise-hand flood with rate_limited and no change', async () => {
    const flooder = await member(t, 'audience', event, 'Flood');
    const acks = [];
    for (let i = 0; i < 12; i++) {
      acks.push(
        await emit(flooder.socket, 'stage:hand', { slug: event.slug, opId: crypto.randomUUID(), raised: i % 2 === 0 }),
      );
    }
    expect(acks.slice(0, 6).every((a) => a.ok)).toBe(true);
    expect(acks.slice(6).map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(Array(6).fill('rate_limited'));
    const refusedAck = acks[6]!;
    expect(!refusedAck.ok && refusedAck.error.retryAfterMs).toBeGreaterThan(0);
    // Six toggles (raise, lower, …) ended lowered; the refused raises changed nothing.
    const state = await snapshot(moderator.socket, event.slug);
    expect(state.state.hands[flooder.userId]).toBeUndefined();
    const v = state.version;
    await refused(flooder.socket, 'stage:hand', { slug: event.slug, raised: true }, 'rate_limited');
    expect((await snapshot(moderator.socket, event.slug)).version).toBe(v);
  });
});

describe('bringing someone on stage', () => {
  it('invites a raised hand; the grant goes into their next token; send-back takes it away', async () => {
    const guest = await member(t, 'audience', event, 'Guest On Stage');
    const before = await tokenFor(t, event.slug, guest.person.cookie);
    expect((await grantsOf(before.body!.token)).canPublish).toBe(false);

    await refused(moderator.socket, 'stage:invite', { slug: event.slug, userId: guest.userId }, 'not_found');
    await hand(guest, true, 'Question about rural schools');
    // Not in the LiveKit room: invited, and the next token carries camera and microphone.
    const invited = await ok<StageHand>(moderator.socket, 'stage:invite', { slug: event.slug, userId: guest.userId });
    expect(invited).toMatchObject({ userId: guest.userId, state: 'invited' });
    await eventually(() => guest.you.at(-1)).toMatchObject({ hand: { state: 'invited' }, canPublish: false });
    await refused(organizer.socket, 'stage:invite', { slug: event.slug, userId: guest.userId }, 'conflict');
    await refused(guest.socket, 'stage:hand', { slug: event.slug, raised: true }, 'conflict');

    const grants = await grantsOf((await tokenFor(t, event.slug, guest.person.cookie)).body!.token);
    expect(grants).toMatchObject({ canPublish: true, canPublishData: false, canSubscribe: true, roomAdmin: false });
    expect([...(grants.canPublishSources ?? [])].sort()).toEqual(['camera', 'microphone']);
    // Someone else in the audience still gets a subscribe-only token.
    const bystander = await member(t, 'audience', event);
    expect((await grantsOf((await tokenFor(t, event.slug, bystander.person.cookie)).body!.token)).canPublish).toBe(
      false,
    );

    expect(await ok(moderator.socket, 'stage:send-back', { slug: event.slug, userId: guest.userId })).toBeNull();
    await eventually(() => guest.you.at(-1)).toEqual({ slug: event.slug, hand: null, canPublish: false });
    expect((await snapshot(moderator.socket, event.slug)).state.hands[guest.userId]).toBeUndefined();
    expect((await grantsOf((await tokenFor(t, event.slug, guest.person.cookie)).body!.token)).canPublish).toBe(false);
    await refused(moderator.socket, 'stage:send-back', { slug: event.slug, userId: guest.userId }, 'not_found');
  });

  it('clears hands when the event ends', async () => {
    const ev = await makeEvent(t, 'stage-hands-end', 'live');
    const mod = await member(t, 'moderator', ev);
    const a = await member(t, 'audience', ev, 'A');
    await ok(a.socket, 'stage:hand', { slug: ev.slug, raised: true });
    await ok(mod.socket, 'stage:phase', { slug: ev.slug, phase: 'ended' });
    expect((await snapshot(mod.socket, ev.slug)).state.hands).toEqual({});
    await eventually(() => a.you.at(-1)).toEqual({ slug: ev.slug, hand: null, canPublish: false });
  });
});

describe('moderator actions refused', () => {
  const ACTIONS = ['stage:invite', 'stage:send-back', 'stage:mute', 'stage:stop-share', 'stage:remove'] as const;

  it('refuses every moderator action to the audience, speakers and visitors, changing nothing', async () => {
    const target = await member(t, 'audience', event, 'Target');
    await hand(target, true);
    const audience = await member(t, 'audience', event, 'Not staff');
    const visitor = await member(t, 'visitor', event);
    const before = await snapshot(moderator.socket, event.slug);
    for (const name of ACTIONS) {
      await refused(audience.socket, name, { slug: event.slug, userId: target.userId }, 'forbidden');
      await refused(speaker.socket, name, { slug: event.slug, userId: target.userId }, 'forbidden');
      await refused(visitor.socket, name, { slug: event.slug, userId: target.userId }, 'unauthorized');
    }
    await refused(audience.socket, 'stage:spotlight', { slug: event.slug, userId: speaker.userId }, 'forbidden');
    await refused(speaker.socket, 'stage:spotlight', { slug: event.slug, userId: null }, 'forbidden');
    expect(await snapshot(moderator.socket, event.slug)).toEqual(before);
    expect(before.state.hands[target.userId]?.state).toBe('raised');
  });

  it('refuses acting on someone not in the room, on an organizer, and removing yourself', async () => {
    const absent = await member(t, 'audience', event, 'Not in the room');
    for (const name of ['stage:mute', 'stage:stop-share', 'stage:remove', 'stage:spotlight'] as const) {
      await refused(moderator.socket, name, { slug: event.slug, userId: absent.userId }, 'not_found');
      await refused(moderator.socket, name, { slug: event.slug, userId: 'no-such-person' }, 'not_found');
    }
    for (const name of ['stage:mute', 'stage:stop-share', 'stage:remove'] as const) {
      await refused(moderator.socket, name, { slug: event.slug, userId: organizer.userId }, 'forbidden');
    }
    const otherModerator = await member(t, 'moderator', event);
    await refused(moderator.socket, 'stage:remove', { slug: event.slug, userId: otherModerator.userId }, 'forbidden');
    await refused(moderator.socket, 'stage:remove', { slug: event.slug, userId: moderator.userId }, 'bad_request');
    await refused(moderator.socket, 'stage:mute', { slug: event.slug, userId: '' }, 'validation_failed');
    const cleared = await ok<StageSpotlight>(moderator.socket, 'stage:spotlight', { slug: event.slug, userId: null });
    expect(cleared).toEqual({ identity: null });
  });
});
