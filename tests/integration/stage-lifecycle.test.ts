/**
 * The stage lifecycle over real sockets, Redis and livekit-server: scheduled → green room → live →
 * ended, the catalogue's status following it, tokens per phase, typed refusals that change
 * nothing, a retried op id, and the LiveKit room closed at the end.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { EventSummary, Page, StageLifecycle } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import { attendance, emit, eventually, member, refused, snapshot, tokenFor, type Member } from './stage-support.ts';

let t: TestApp;
let rooms: RoomServiceClient;

beforeAll(async () => {
  t = await startTestApp();
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
});
afterAll(() => t.close());

const listing = async (status: string) =>
  ((await (await api(t, 'get', `/api/events?status=${status}`)).json()) as Page<EventSummary>).items.map((e) => e.slug);

async function people(event: { id: string; slug: string }) {
  return {
    moderator: await member(t, 'moderator', event, 'Mo Derator'),
    organizer: await member(t, 'organizer', event),
    speaker: await member(t, 'speaker', event, 'Dr. Speaker'),
    audience: await member(t, 'audience', event, 'Amina'),
    visitor: await member(t, 'visitor', event),
  };
}

const phase = (m: Member, slug: string, p: string, opId: string = crypto.randomUUID()) =>
  emit<StageLifecycle>(m.socket, 'stage:phase', { slug, opId, phase: p });

describe('the lifecycle', () => {
  it('goes scheduled → green room → live → ended, with the catalogue, tokens and the room following', async () => {
    const event = await makeEvent(t, 'stage-happy', 'scheduled');
    const { moderator, organizer, speaker, audience } = await people(event);
    const start = await snapshot(audience.socket, event.slug);
    expect(start.state.lifecycle).toEqual({ phase: 'scheduled', greenroomAt: null, liveAt: null, endedAt: null });

    // Before going live: speakers may join (device check, green room); the audience may not.
    expect((await tokenFor(t, event.slug, speaker.person.cookie)).status).toBe(200);
    expect((await tokenFor(t, event.slug, audience.person.cookie)).status).toBe(403);

    const green = await phase(moderator, event.slug, 'greenroom');
    expect(green).toMatchObject({ ok: true, data: { phase: 'greenroom', liveAt: null } });
    expect(Date.parse((green as { data: StageLifecycle }).data.greenroomAt!)).not.toBeNaN();
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('scheduled');
    expect((await tokenFor(t, event.slug, speaker.person.cookie)).status).toBe(200);
    expect((await tokenFor(t, event.slug, audience.person.cookie)).status).toBe(403);
    // Everyone in the room sees the phase change as a versioned delta.
    await eventually(() =>
      audience.deltas
        .flatMap((d) => d.changes)
        .some((c) => c.kind === 'lifecycle' && (c.data as StageLifecycle).phase === 'greenroom'),
    ).toBe(true);

    const live = await phase(organizer, event.slug, 'live');
    expect(live).toMatchObject({ ok: true, data: { phase: 'live' } });
    await eventually(() => audience.statuses.at(-1)).toMatchObject({ slug: event.slug, status: 'live' });
    const record = (await t.app.catalogue.store.events.get(event.id))!;
    expect(record.status).toBe('live');
    expect(record.summary).toBe('A test event');
    expect(await listing('live')).toContain(event.slug);
    expect(await listing('upcoming')).not.toContain(event.slug);
    expect((await tokenFor(t, event.slug, audience.person.cookie)).status).toBe(200);

    // The LiveKit room exists once someone is in it; ending the event closes it.
    await rooms.createRoom({ name: `event-${event.id}` });
    expect((await rooms.listRooms([`event-${event.id}`])).length).toBe(1);

    const ended = await phase(moderator, event.slug, 'ended');
    expect(ended).toMatchObject({ ok: true, data: { phase: 'ended' } });
    await eventually(() => audience.statuses.at(-1)?.status).toBe('ended');
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('ended');
    expect(await listing('past')).toContain(event.slug);
    expect(await listing('live')).not.toContain(event.slug);
    expect(await rooms.listRooms([`event-${event.id}`])).toEqual([]);
    // Nobody joins an ended event, speakers included.
    expect((await tokenFor(t, event.slug, audience.person.cookie)).status).toBe(403);
    expect((await tokenFor(t, event.slug, speaker.person.cookie)).status).toBe(403);

    const end = await snapshot(speaker.socket, event.slug);
    expect(end.state.lifecycle.phase).toBe('ended');
    expect(Date.parse(end.state.lifecycle.liveAt!)).toBeLessThanOrEqual(Date.parse(end.state.lifecycle.endedAt!));
    // Three phase writes (and the room_finished webhook livekit-server sends once the room is deleted).
    expect(end.version).toBeGreaterThanOrEqual(start.version + 3);
    const report = await attendance(t, event.slug, organizer.person.cookie);
    expect(report.liveSessions).toEqual([
      { startedAt: end.state.lifecycle.liveAt, endedAt: end.state.lifecycle.endedAt },
    ]);
  });

  it('refuses going live twice, ending an event that is not live and a green room after live, changing nothing', async () => {
    const event = await makeEvent(t, 'stage-refusals', 'scheduled');
    const { moderator } = await people(event);
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'ended' }, 'conflict');
    expect((await phase(moderator, event.slug, 'live')).ok).toBe(true);
    const before = await snapshot(moderator.socket, event.slug);

    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live' }, 'conflict');
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'greenroom' }, 'conflict');
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'scheduled' }, 'validation_failed');
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live', extra: 1 }, 'validation_failed');
    expect(await snapshot(moderator.socket, event.slug)).toEqual(before);
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('live');

    expect((await phase(moderator, event.slug, 'ended')).ok).toBe(true);
    const after = await snapshot(moderator.socket, event.slug);
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'ended' }, 'conflict');
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live' }, 'conflict');
    expect(await snapshot(moderator.socket, event.slug)).toEqual(after);
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('ended');
  });

  it('starts from the catalogue status when nobody moved the event yet', async () => {
    const event = await makeEvent(t, 'stage-already-live', 'live');
    const { moderator } = await people(event);
    expect((await snapshot(moderator.socket, event.slug)).state.lifecycle.phase).toBe('live');
    await refused(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live' }, 'conflict');
    expect((await phase(moderator, event.slug, 'ended')).ok).toBe(true);
  });

  it('answers a retried op id with the first ack and applies it once', async () => {
    const event = await makeEvent(t, 'stage-retry', 'scheduled');
    const { moderator, audience } = await people(event);
    const opId = crypto.randomUUID();
    const first = await phase(moderator, event.slug, 'live', opId);
    expect(first.ok).toBe(true);
    const state = await snapshot(moderator.socket, event.slug);
    const statuses = audience.statuses.length;

    const again = await phase(moderator, event.slug, 'live', opId);
    expect(again).toEqual(first);
    expect(await snapshot(moderator.socket, event.slug)).toEqual(state);
    // The same op id with another payload is a conflict, not a second write.
    await expect(phase(moderator, event.slug, 'ended', opId)).resolves.toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await snapshot(moderator.socket, event.slug)).toEqual(state);
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('live');
    // A retry of "live" after the event ended does not bring the catalogue back to live.
    expect((await phase(moderator, event.slug, 'ended')).ok).toBe(true);
    expect((await phase(moderator, event.slug, 'live', opId)).ok).toBe(true);
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('ended');
    expect(audience.statuses.length).toBeGreaterThanOrEqual(statuses);
  });

  it('refuses the lifecycle to the audience, speakers and visitors, changing nothing', async () => {
    const event = await makeEvent(t, 'stage-not-staff', 'scheduled');
    const { speaker, audience, visitor, moderator } = await people(event);
    const before = await snapshot(moderator.socket, event.slug);
    for (const p of ['greenroom', 'live', 'ended']) {
      await refused(speaker.socket, 'stage:phase', { slug: event.slug, phase: p }, 'forbidden');
      await refused(audience.socket, 'stage:phase', { slug: event.slug, phase: p }, 'forbidden');
      await refused(visitor.socket, 'stage:phase', { slug: event.slug, phase: p }, 'unauthorized');
    }
    // A moderator of another event is nobody here.
    const elsewhere = await makeEvent(t, 'stage-elsewhere', 'scheduled');
    const other = await member(t, 'moderator', elsewhere);
    await refused(other.socket, 'stage:phase', { slug: event.slug, phase: 'live' }, 'forbidden');
    expect(await snapshot(moderator.socket, event.slug)).toEqual(before);
    expect((await t.app.catalogue.store.events.get(event.id))!.status).toBe('scheduled');
  });
});
