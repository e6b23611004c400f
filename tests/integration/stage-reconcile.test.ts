/**
 * The audience reconcile (server/src/stage/reconcile.ts) against the run's real livekit-server and
 * Redis: a lost participant_left is repaired from LiveKit's participant list (one delta, the
 * session closed), late webhooks after it count nobody twice, a room LiveKit does not have is an
 * empty room, an unreachable LiveKit changes nothing, and the timers follow the lifecycle (and pick
 * up live events after a restart). The lost participant_joined, with a real browser in the room, is
 * tests/e2e/stage-reconcile.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { StageAudience } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { attendance, eventually, hook, member, ok, postWebhook, snapshot, type Member } from './stage-support.ts';
import { stageOn, type TestStage } from './reconcile-support.ts';

let t: TestApp;
let rooms: RoomServiceClient;
let s: TestStage;
const others: TestStage[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  s = stageOn(t);
});
afterAll(async () => {
  for (const o of [s, ...others]) await o?.stage.close();
  await t?.close();
});

async function liveEvent(slug: string) {
  const event = await makeEvent(t, slug, 'scheduled');
  const organizer = await member(t, 'organizer', event);
  await ok(organizer.socket, 'stage:phase', { slug, phase: 'live' });
  return { event, organizer };
}

const audienceOf = async (m: Member, slug: string) => (await snapshot(m.socket, slug)).state.audience;
const audienceDeltas = (m: Member) =>
  m.deltas.filter((d) => d.changes.some((c) => c.kind === 'audience')).map((d) => d.changes.at(-1)!.data);
const sessionsOf = async (slug: string, cookie: string, userId: string) =>
  (await attendance(t, slug, cookie)).people.find((p) => p.userId === userId)?.sessions;

describe('reconciling the audience with LiveKit', () => {
  it('ends a session whose participant_left was lost, once, and ignores the late webhooks', async () => {
    const { event, organizer } = await liveEvent('reconcile-left');
    const room = `event-${event.id}`;
    await rooms.createRoom({ name: room, emptyTimeout: 600 });
    try {
      const a = await member(t, 'audience', event, 'Amina');
      const joinedAt = Date.now() - 60_000;
      await postWebhook(
        t,
        hook('participant_joined', { eventId: event.id, identity: a.userId, sid: 'PA_lost', at: joinedAt }),
      );
      expect(await audienceOf(organizer, event.slug)).toEqual({ now: 1, peak: 1 });
      await eventually(() => audienceDeltas(a).at(-1)).toEqual({ now: 1, peak: 1 });
      const deltasBefore = a.deltas.length;
      const { version } = await snapshot(organizer.socket, event.slug);

      // LiveKit's room exists and has nobody in it: PA_lost left without its webhook reaching us.
      expect(await rooms.listParticipants(room)).toEqual([]);
      const before = Date.now();
      expect(await s.stage.reconcileAudience(event)).toEqual({ status: 'done', joined: [], left: ['PA_lost'] });
      const after = await snapshot(organizer.socket, event.slug);
      expect(after.state.audience).toEqual({ now: 0, peak: 1 });
      expect(after.version).toBe(version + 1);
      // Broadcast as a webhook's write is: one delta, with the new count.
      await eventually(() => a.deltas.length).toBe(deltasBefore + 1);
      expect(a.deltas.at(-1)).toMatchObject({ from: version + 1, to: version + 1 });
      expect(audienceDeltas(a).at(-1)).toEqual({ now: 0, peak: 1 });
      const [session] = (await sessionsOf(event.slug, organizer.person.cookie, a.userId))!;
      expect(session!.joinedAt).toBe(new Date(Math.floor(joinedAt / 1000) * 1000).toISOString());
      expect(Date.parse(session!.leftAt!)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(session!.leftAt!)).toBeLessThanOrEqual(Date.now());

      // Nothing more to do: no write, no version.
      expect(await s.stage.reconcileAudience(event)).toEqual({ status: 'done', joined: [], left: [] });
      expect((await snapshot(organizer.socket, event.slug)).version).toBe(version + 1);

      // The lost webhook arrives late (a new delivery id), a minute later: nothing changes.
      const late = Date.now() + 60_000;
      const left = hook('participant_left', { eventId: event.id, identity: a.userId, sid: 'PA_lost', at: late });
      expect(await postWebhook(t, left)).toEqual({ status: 200, body: { handled: true } });
      // And a replay of the join: the sid has left, it counts nobody.
      const again = hook('participant_joined', { eventId: event.id, identity: a.userId, sid: 'PA_lost' });
      expect(await postWebhook(t, again)).toEqual({ status: 200, body: { handled: true } });
      expect(await audienceOf(organizer, event.slug)).toEqual({ now: 0, peak: 1 });
      expect(await sessionsOf(event.slug, organizer.person.cookie, a.userId)).toEqual([session]);
    } finally {
      await rooms.deleteRoom(room).catch(() => {});
    }
  });

  it('takes a room LiveKit does not have for an empty one, speakers included; only while live', async () => {
    const { event, organizer } = await liveEvent('reconcile-no-room');
    const a = await member(t, 'audience', event, 'A');
    const b = await member(t, 'audience', event, 'B');
    const speaker = await member(t, 'speaker', event, 'Dr. S');
    for (const m of [a, b, speaker]) {
      await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: m.userId }));
    }
    expect(await audienceOf(organizer, event.slug)).toEqual({ now: 2, peak: 2 });
    // No such room in LiveKit (livekit-server 1.13 lists nobody for it; a Twirp not_found means the same).
    expect(await rooms.listRooms([`event-${event.id}`])).toEqual([]);

    const r = await s.stage.reconcileAudience(event);
    expect(r.status === 'done' && r.left.sort()).toEqual([a, b, speaker].map((m) => `PA_${m.userId}`).sort());
    expect(await audienceOf(organizer, event.slug)).toEqual({ now: 0, peak: 2 });
    const report = await attendance(t, event.slug, organizer.person.cookie);
    expect(report.people).toHaveLength(3);
    for (const p of report.people)
      expect(p.sessions).toEqual([{ joinedAt: expect.any(String), leftAt: expect.any(String) }]);

    // Not live: the reconcile leaves the count alone (webhooks and room_finished own it then).
    const scheduled = await makeEvent(t, 'reconcile-scheduled', 'scheduled');
    const c = await member(t, 'audience', scheduled, 'C');
    await postWebhook(t, hook('participant_joined', { eventId: scheduled.id, identity: c.userId }));
    expect(await audienceOf(c, scheduled.slug)).toEqual({ now: 1, peak: 1 });
    expect(await s.stage.reconcileAudience(scheduled)).toEqual({ status: 'skipped', reason: 'not-live' });
    expect(await audienceOf(c, scheduled.slug)).toEqual({ now: 1, peak: 1 });
  });

  it('changes nothing when LiveKit cannot be reached', async () => {
    const { event, organizer } = await liveEvent('reconcile-unreachable');
    const a = await member(t, 'audience', event, 'A');
    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: a.userId }));
    const lk = inject('livekit');
    // A port nothing listens on: connection refused, as when livekit-server is down.
    const down = stageOn(t, { livekit: { ...lk, url: `ws://127.0.0.1:${await freePort()}` }, reconcileMs: 100 });
    others.push(down);
    const before = await snapshot(organizer.socket, event.slug);
    const report = await attendance(t, event.slug, organizer.person.cookie);

    expect(await down.stage.reconcileAudience(event)).toEqual({ status: 'skipped', reason: 'unreachable' });
    // Its timer (started when it picked up the live event) keeps failing quietly, logging a warning each time.
    await expect
      .poll(() => down.logs.filter((l) => l.msg.startsWith('could not list the LiveKit room')).length, {
        timeout: 5000,
      })
      .toBeGreaterThanOrEqual(3);
    expect(await snapshot(organizer.socket, event.slug)).toEqual(before);
    expect(await attendance(t, event.slug, organizer.person.cookie)).toEqual(report);
    await down.stage.close();
  });

  it('runs every interval while live: from going live, from a restart, and not after the end', async () => {
    const timed = stageOn(t, { reconcileMs: 150 });
    others.push(timed);
    const { event, organizer } = await liveEvent('reconcile-timer');
    const a = await member(t, 'audience', event, 'A');
    await postWebhook(t, hook('participant_joined', { eventId: event.id, identity: a.userId }));
    // Going live started its timer; the next tick finds nobody in LiveKit's room.
    await eventually(async () => (await attendance(t, event.slug, organizer.person.cookie)).audienceNow).toBe(0);
    expect((await attendance(t, event.slug, organizer.person.cookie)).peakAudience).toBe(1);
    await eventually(() => audienceDeltas(a).at(-1) as StageAudience).toEqual({ now: 0, peak: 1 });

    await ok(organizer.socket, 'stage:phase', { slug: event.slug, phase: 'ended' });
    await eventually(() => timed.stage.reconcileWatching()).not.toContain(event.id);
    await timed.stage.close();

    // A restart: the event is already live, so no onLive is heard; the first tick finds it in the catalogue.
    const already = await makeEvent(t, 'reconcile-restart', 'live');
    const b = await member(t, 'audience', already, 'B');
    await postWebhook(t, hook('participant_joined', { eventId: already.id, identity: b.userId }));
    expect(await audienceOf(b, already.slug)).toEqual({ now: 1, peak: 1 });
    const restarted = stageOn(t, { reconcileMs: 150 });
    others.push(restarted);
    await eventually(async () => (await audienceOf(b, already.slug)).now).toBe(0);
    expect(restarted.stage.reconcileWatching()).toContain(already.id);
    expect(restarted.stage.reconcileWatching()).not.toContain(event.id);
    await restarted.stage.close();
    expect(restarted.stage.reconcileWatching()).toEqual([]);
  });
});
