/**
 * Attendance and the live audience count from LiveKit webhooks (signed as livekit-server signs
 * them): a forged or replayed webhook changes nothing, a replay counts once, unknown identities
 * are ignored, events out of order do not count anyone twice, room_finished closes the session,
 * and the organizer's attendance report. (Real participant_joined/left from browsers in a real
 * room: tests/e2e/stage-livekit.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageAudience } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import {
  attendance,
  eventually,
  hook,
  member,
  ok,
  postWebhook,
  signed,
  snapshot,
  type Member,
} from './stage-support.ts';

let t: TestApp;
let organizer: Member;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function setup(slug: string) {
  const event = await makeEvent(t, slug, 'scheduled');
  organizer = await member(t, 'organizer', event);
  const moderator = await member(t, 'moderator', event, 'Mo');
  await ok(moderator.socket, 'stage:phase', { slug, phase: 'live' });
  return { event, moderator };
}

const audienceOf = async (m: Member, slug: string) => (await snapshot(m.socket, slug)).state.audience;

describe('LiveKit webhooks on the stage', () => {
  it('counts audience joins once, keeps the peak, and refuses forged webhooks', async () => {
    const { event, moderator } = await setup('hooks-counts');
    const a = await member(t, 'audience', event, 'Amina');
    const b = await member(t, 'audience', event, 'Bilal');
    const speaker = await member(t, 'speaker', event, 'Dr. Speaker');

    // Forged: signed with another secret, or a body that is not the signed one.
    const joinedA = hook('participant_joined', { eventId: event.id, identity: a.userId, name: 'Amina' });
    const before = await snapshot(moderator.socket, event.slug);
    expect(
      (await postWebhook(t, joinedA, await signed(joinedA, 'another-secret-that-is-long-enough-0123456789'))).status,
    ).toBe(401);
    expect((await postWebhook(t, joinedA, await signed(joinedA.replace('Amina', 'Eve')))).status).toBe(401);
    expect((await postWebhook(t, joinedA, '')).status).toBe(401);
    expect(await snapshot(moderator.socket, event.slug)).toEqual(before);
    expect((await attendance(t, event.slug, organizer.person.cookie)).people).toEqual([]);

    // Real, then replayed: counted once.
    expect(await postWebhook(t, joinedA)).toEqual({ status: 200, body: { handled: true } });
    expect(await postWebhook(t, joinedA)).toEqual({ status: 200, body: { handled: false, duplicate: true } });
    // The same participant session reported again under a new webhook id is still one.
    const sameSession = hook('participant_joined', { eventId: event.id, identity: a.userId, name: 'Amina' });
    expect((await postWebhook(t, sameSession)).status).toBe(200);
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 1, peak: 1 });

    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: b.userId, name: 'Bilal' }));
    // Speakers are in attendance but not in the audience count.
    await postWebhook(
      t,
      hook('participant_joined', { eventId: event.id, identity: speaker.userId, name: 'Dr. Speaker' }),
    );
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 2, peak: 2 });
    // Everyone in the event room sees the count change (from Redis, through the live deltas).
    await eventually(
      () =>
        a.deltas
          .flatMap((d) => d.changes)
          .filter((c) => c.kind === 'audience')
          .at(-1)?.data as StageAudience,
    ).toEqual({ now: 2, peak: 2 });

    const leftA = hook('participant_left', { eventId: event.id, identity: a.userId, name: 'Amina' });
    expect((await postWebhook(t, leftA)).status).toBe(200);
    expect((await postWebhook(t, leftA)).body).toEqual({ handled: false, duplicate: true });
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 1, peak: 2 });

    const report = await attendance(t, event.slug, organizer.person.cookie);
    expect(report).toMatchObject({ peakAudience: 2, audienceNow: 1 });
    const byId = Object.fromEntries(report.people.map((p) => [p.userId, p]));
    expect(byId[a.userId]).toMatchObject({ displayName: 'Amina', role: 'audience' });
    expect(byId[a.userId]!.sessions).toHaveLength(1);
    expect(byId[a.userId]!.sessions[0]!.leftAt).not.toBeNull();
    expect(byId[b.userId]!.sessions).toEqual([{ joinedAt: expect.any(String), leftAt: null }]);
    expect(byId[speaker.userId]).toMatchObject({ role: 'speaker', displayName: 'Dr. Speaker' });
    expect(report.people).toHaveLength(3);
  });

  it('ignores unknown identities and other rooms, and never counts a late "joined" after "left"', async () => {
    const { event, moderator } = await setup('hooks-odd');
    const before = await audienceOf(moderator, event.slug);
    expect(
      (await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: 'nobody-we-know' }))).status,
    ).toBe(200);
    expect(
      (await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: 'x'.repeat(500) }))).status,
    ).toBe(200);
    expect((await postWebhook(t, hook('participant_joined', { eventId: 'no-such-event', identity: 'y' }))).status).toBe(
      200,
    );
    expect((await postWebhook(t, hook('participant_joined', { eventId: event.id }))).status).toBe(200);
    const odd = JSON.stringify({ event: 'participant_joined', id: 'EV_odd', room: { name: 'someone-elses-room' } });
    expect((await postWebhook(t, odd)).status).toBe(200);
    expect(await audienceOf(moderator, event.slug)).toEqual(before);
    expect((await attendance(t, event.slug, organizer.person.cookie)).people).toEqual([]);

    // Out of order: "left" arrives first; the late "joined" of the same session counts nobody.
    const late = await member(t, 'audience', event, 'Late');
    await postWebhook(t, hook('participant_left', { eventId: event.id, identity: late.userId, sid: 'PA_late' }));
    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: late.userId, sid: 'PA_late' }));
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 0, peak: 0 });
    const [rec] = (await attendance(t, event.slug, organizer.person.cookie)).people;
    expect(rec!.sessions).toHaveLength(1);
    expect(rec!.sessions[0]!.leftAt).not.toBeNull();
  });

  it('closes the live session and every open attendance on room_finished', async () => {
    const { event, moderator } = await setup('hooks-finished');
    const a = await member(t, 'audience', event, 'A');
    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: a.userId }));
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 1, peak: 1 });
    const finished = hook('room_finished', { eventId: event.id });
    expect((await postWebhook(t, finished)).status).toBe(200);
    expect(await audienceOf(moderator, event.slug)).toEqual({ now: 0, peak: 1 });
    const report = await attendance(t, event.slug, organizer.person.cookie);
    expect(report.liveSessions).toHaveLength(1);
    expect(report.liveSessions[0]!.endedAt).not.toBeNull();
    expect(report.people[0]!.sessions[0]!.leftAt).not.toBeNull();
    // A replay of room_finished changes nothing.
    const v = (await snapshot(moderator.socket, event.slug)).version;
    expect((await postWebhook(t, finished)).body).toEqual({ handled: false, duplicate: true });
    expect((await snapshot(moderator.socket, event.slug)).version).toBe(v);
    // People coming back while the event is still live open a new live session.
    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: a.userId, sid: 'PA_again' }));
    expect((await attendance(t, event.slug, organizer.person.cookie)).liveSessions).toMatchObject([
      { endedAt: expect.any(String) },
      { endedAt: null },
    ]);
  });

  it('shows the attendance report to organizers only', async () => {
    const { event, moderator } = await setup('hooks-report');
    const audience = await member(t, 'audience', event);
    const path = `/api/events/${event.slug}/attendance`;
    expect((await api(t, 'get', path, { cookie: moderator.person.cookie })).status).toBe(403);
    expect((await api(t, 'get', path, { cookie: audience.person.cookie })).status).toBe(403);
    expect((await api(t, 'get', path)).status).toBe(401);
    expect(
      (await api(t, 'get', '/api/events/no-such-event/attendance', { cookie: organizer.person.cookie })).status,
    ).toBe(404);
    expect(await attendance(t, event.slug, organizer.person.cookie)).toEqual({
      peakAudience: 0,
      audienceNow: 0,
      people: [],
      liveSessions: [{ startedAt: expect.any(String), endedAt: null }],
    });
  });
});
