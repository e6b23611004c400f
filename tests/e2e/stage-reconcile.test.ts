/**
 * Lost webhooks, repaired by the audience reconcile (server/src/stage/reconcile.ts), with a real
 * audience page in Chromium in the real livekit-server room. The app is taken off the webhook relay,
 * so LiveKit's participant_joined / participant_left never reach it; a listener of our own stays on
 * the relay, so we know when they would have. The count stays 0 while the person watches; the
 * reconcile counts them (the page shows it, the attendance report lists them with LiveKit's join
 * time); once the page is closed, the next reconcile ends their session.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { EventRecord } from '../../server/src/events/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';
import { launchStageBrowser, openAs, type PersonPage } from '../support/stage.ts';
import { attendance, member, ok, snapshot, type Member } from '../integration/stage-support.ts';
import { stageOn, type TestStage } from '../integration/reconcile-support.ts';

const SLUG = 'reconcile-e2e';
/** Room for WebRTC and LiveKit's own timers on a busy two-core machine. */
const slow = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 250 });

let t: TestApp;
let browser: Browser;
let rooms: RoomServiceClient;
let s: TestStage;
let event: EventRecord;
let organizer: Member;
let viewer: Person;
let page: PersonPage | null = null;
/** LiveKit's webhooks as our own listener on the relay got them: "event identity". */
const heard: string[] = [];
let listener: http.Server;
let listenerUrl: string;
const relay = inject('webhookRelay');

beforeAll(async () => {
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  t = await startTestApp({ web: true });
  // Webhooks are lost from now on: the relay no longer forwards them to the app.
  await fetch(`${relay}/unregister`, { method: 'POST', body: t.url });
  listener = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const e = JSON.parse(body) as { event: string; participant?: { identity?: string } };
      heard.push(`${e.event} ${e.participant?.identity ?? ''}`);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  await fetch(`${relay}/register`, { method: 'POST', body: listenerUrl });

  s = stageOn(t);
  event = await makeEvent(t, SLUG, 'scheduled');
  organizer = await member(t, 'organizer', event);
  viewer = await personWith(t, 'audience', event.id, 'Wanjiru Watcher');
  browser = await launchStageBrowser();
});

afterAll(async () => {
  await page?.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await fetch(`${relay}/unregister`, { method: 'POST', body: listenerUrl }).catch(() => {});
  listener?.close();
  await s?.stage.close();
  if (event) await rooms.deleteRoom(`event-${event.id}`).catch(() => {});
  await t?.close();
});

const inRoom = async () =>
  (await rooms.listParticipants(`event-${event.id}`)).filter((p) => p.identity === viewer.userId);
const countText = () => page!.page.getByTestId('audience-count').textContent();
const sessions = async () =>
  (await attendance(t, SLUG, organizer.person.cookie)).people.find((p) => p.userId === viewer.userId)?.sessions;

describe('the audience reconcile with a real browser in the LiveKit room', () => {
  it('counts a watcher whose participant_joined was lost', async () => {
    await ok(organizer.socket, 'stage:phase', { slug: SLUG, phase: 'live' });
    page = await openAs(browser, t.url, viewer, `/events/${SLUG}`);
    await page.page.getByTestId('stage-live').waitFor();
    await slow(() => page!.page.getByTestId('stage-live').getAttribute('data-room-status')).toBe('connected');
    const [participant] = await inRoom();
    expect(participant).toBeDefined();
    // LiveKit sent participant_joined (our listener got it), the app did not: nobody counted.
    await slow(() => heard).toContain(`participant_joined ${viewer.userId}`);
    expect(await countText()).toBe('0 people watching');
    expect((await snapshot(organizer.socket, SLUG)).state.audience).toEqual({ now: 0, peak: 0 });
    expect(await sessions()).toBeUndefined();

    expect(await s.stage.reconcileAudience(event)).toEqual({ status: 'done', joined: [participant!.sid], left: [] });
    await slow(countText).toBe('1 person watching');
    expect((await snapshot(organizer.socket, SLUG)).state.audience).toEqual({ now: 1, peak: 1 });
    const joinedAt = new Date(Number(participant!.joinedAtMs) || Number(participant!.joinedAt) * 1000).toISOString();
    expect(await sessions()).toEqual([{ joinedAt, leftAt: null }]);
    const report = await attendance(t, SLUG, organizer.person.cookie);
    expect(report.people).toEqual([
      {
        userId: viewer.userId,
        displayName: 'Wanjiru Watcher',
        role: 'audience',
        sessions: [{ joinedAt, leftAt: null }],
      },
    ]);
    // A second reconcile has nothing to add.
    expect(await s.stage.reconcileAudience(event)).toEqual({ status: 'done', joined: [], left: [] });
  }, 90_000);

  it('ends their session once the page is closed and its participant_left was lost too', async () => {
    const [participant] = await inRoom();
    await page!.context.close();
    page = null;
    await slow(inRoom).toEqual([]);
    await slow(() => heard).toContain(`participant_left ${viewer.userId}`);
    expect((await snapshot(organizer.socket, SLUG)).state.audience).toEqual({ now: 1, peak: 1 });

    const before = Date.now();
    expect(await s.stage.reconcileAudience(event)).toEqual({ status: 'done', joined: [], left: [participant!.sid] });
    expect((await snapshot(organizer.socket, SLUG)).state.audience).toEqual({ now: 0, peak: 1 });
    const [session] = (await sessions())!;
    expect(session!.leftAt).not.toBeNull();
    expect(Date.parse(session!.leftAt!)).toBeGreaterThanOrEqual(before - 1000);
  }, 90_000);
});
