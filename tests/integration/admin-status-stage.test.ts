/**
 * The status field of the admin event form and the stage agree: going live or ending from the form
 * moves the stage exactly as the console does (phase, live session, broadcast, lifecycle hooks);
 * a status the stage cannot take is refused with nothing saved; an event the console never drove
 * (an imported past panel, say) takes any status from the form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../server/src/events/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { eventually, member, snapshot, type Member } from './stage-support.ts';

let t: TestApp;
let organizer: Person;
const heard: { live: string[]; ended: string[] } = { live: [], ended: [] };

const bodyOf = (e: EventRecord, over: object) => ({
  slug: e.slug,
  title: e.title,
  description: e.description,
  startsAt: e.startsAt,
  endsAt: e.endsAt,
  timeZone: e.timeZone,
  status: e.status,
  seriesId: e.seriesId,
  speakerIds: e.speakerIds,
  location: e.location,
  ...over,
});

async function put(e: EventRecord, over: object) {
  const fresh = (await t.app.catalogue.store.events.get(e.id))!;
  const res = await api(t, 'put', `/api/admin/events/${e.id}`, { cookie: organizer.cookie, body: bodyOf(fresh, over) });
  return {
    status: res.status,
    body: (await res.json()) as {
      status?: string;
      title?: string;
      error?: { code: string; issues?: { path: string[]; message: string }[] };
    },
  };
}

beforeAll(async () => {
  t = await startTestApp();
  const anchor = await makeEvent(t, 'status-anchor', 'scheduled');
  organizer = await personWith(t, 'organizer', anchor.id);
  t.app.lifecycle.subscribe({
    onLive: (id) => void heard.live.push(id),
    onEnded: (id) => void heard.ended.push(id),
  });
});
afterAll(() => t.close());

describe('the admin form’s status and the stage', () => {
  let event: EventRecord;
  let watcher: Member;

  it('goes live from the form as from the console: phase, live session, broadcast and hooks', async () => {
    event = await makeEvent(t, 'status-from-form', 'scheduled');
    watcher = await member(t, 'audience', event);
    const res = await put(event, { status: 'live', title: 'Retitled while going live' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'live', title: 'Retitled while going live' });
    const snap = await snapshot(watcher.socket, event.slug);
    expect(snap.state.lifecycle.phase).toBe('live');
    expect(snap.state.lifecycle.liveAt).not.toBeNull();
    await eventually(() => watcher.statuses.map((s) => s.status)).toEqual(['live']);
    expect(heard.live).toContain(event.id);
  });

  it('refuses to go back to scheduled once the stage is live, saving nothing', async () => {
    const res = await put(event, { status: 'scheduled', title: 'Should not be saved' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'conflict',
      issues: [{ path: ['status'], message: 'The panel is live: its status cannot go back to scheduled' }],
    });
    const stored = (await t.app.catalogue.store.events.get(event.id))!;
    expect(stored).toMatchObject({ status: 'live', title: 'Retitled while going live' });
    expect((await snapshot(watcher.socket, event.slug)).state.lifecycle.phase).toBe('live');
  });

  it('ends the stage from the form, and then refuses to go live again', async () => {
    const ended = await put(event, { status: 'ended' });
    expect(ended.status).toBe(200);
    expect(ended.body.status).toBe('ended');
    expect((await snapshot(watcher.socket, event.slug)).state.lifecycle.phase).toBe('ended');
    expect(heard.ended).toContain(event.id);
    await eventually(() => watcher.statuses.map((s) => s.status)).toEqual(['live', 'ended']);

    const again = await put(event, { status: 'live', title: 'Should not be saved either' });
    expect(again.status).toBe(409);
    expect((await t.app.catalogue.store.events.get(event.id))!).toMatchObject({
      status: 'ended',
      title: 'Retitled while going live',
    });
    expect(heard.live.filter((id) => id === event.id)).toHaveLength(1);
    watcher.socket.disconnect();
  });

  it('lets the form set any status on an event the console never drove (an imported past panel)', async () => {
    const imported = await makeEvent(t, 'status-imported', 'scheduled');
    const res = await put(imported, { status: 'ended' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ended');
    const viewer = await member(t, 'audience', imported);
    expect((await snapshot(viewer.socket, imported.slug)).state.lifecycle.phase).toBe('ended');
    expect(heard.ended).not.toContain(imported.id);
    viewer.socket.disconnect();
  });
});
