/**
 * The stage's moderator controls and attendance against a real livekit-server, with real
 * Chromium participants (fake camera and microphone) driven through livekit-client, and the
 * app's own sockets, tokens and webhooks (livekit-server → relay → app):
 *
 * - green room → live through `stage:phase`; attendance and the audience count from real
 *   participant_joined / participant_left webhooks;
 * - a moderator mutes a speaker's microphone, stops their screen share (the track leaves every
 *   subscriber), spotlights them, and removes an audience member; the audience cannot;
 * - a raised hand is invited: our server grants publish in the room (checked on the server with
 *   getParticipant), the browser publishes and another audience member receives it; send-back
 *   revokes it and livekit-server unpublishes the tracks;
 * - "end" deletes the room: every browser is disconnected and room_finished closes the session.
 *
 * Pages come from a tiny static server of this file (no CSP) that loads livekit-client's UMD build.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RoomServiceClient, TrackSource, type ParticipantInfo } from 'livekit-server-sdk';
import type { AttendanceReport, LivekitTokenResponse, StageHand, StageState } from '@colloquy/shared';
import { livekitPage, serveLivekitPage } from '../support/livekit-page.ts';
import { waitFor } from '../support/e2e.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { launchBrowser } from '../support/browser.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';
import type { Socket } from 'socket.io-client';

const SLUG = 'stage-e2e';

/** Runs in the page: a small driver around livekit-client, on `window.harness`. */
const HARNESS = String.raw`
const LK = window.LivekitClient;
const within = (ms, what, p) => Promise.race([
  p,
  new Promise((_, reject) => setTimeout(() => reject(new Error(what + ': no answer within ' + ms + ' ms')), ms)),
]);
const state = { room: null, disconnected: null };
window.harness = {
  async connect(url, token) {
    const room = new LK.Room({ adaptiveStream: false, dynacast: false });
    state.room = room;
    room.on(LK.RoomEvent.Disconnected, (reason) => {
      state.disconnected = { reason, reasonName: LK.DisconnectReason[reason] };
    });
    await within(20000, 'room.connect', room.connect(url, token));
    return room.state;
  },
  canPublish() {
    const p = state.room && state.room.localParticipant.permissions;
    return p ? { canPublish: p.canPublish, sources: p.canPublishSources } : null;
  },
  async publish(what) {
    const lp = state.room.localParticipant;
    try {
      if (what === 'camera') await within(20000, 'camera', lp.setCameraEnabled(true));
      if (what === 'microphone') await within(20000, 'microphone', lp.setMicrophoneEnabled(true));
      // A fake-camera track published as a screen share (headless Chromium has no screen to pick).
      if (what === 'screen') {
        const track = await LK.createLocalVideoTrack();
        await within(20000, 'screen', lp.publishTrack(track, { source: LK.Track.Source.ScreenShare }));
      }
      return { ok: true };
    } catch (e) {
      return { ok: false, message: String(e && e.message || e) };
    }
  },
  /** Remote tracks this page is subscribed to, as "identity/source". */
  subscribed() {
    if (!state.room) return [];
    const out = [];
    for (const p of state.room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) if (pub.isSubscribed && pub.track) out.push(p.identity + '/' + pub.source);
    }
    return out.sort();
  },
  disconnected() { return state.disconnected; },
  async leave() { if (state.room) await state.room.disconnect(); },
};
`;

const PAGE = livekitPage('stage harness', HARNESS);

interface Harness {
  connect(url: string, token: string): Promise<string>;
  canPublish(): { canPublish: boolean; sources: string[] } | null;
  publish(what: 'camera' | 'microphone' | 'screen'): Promise<{ ok: boolean; message?: string }>;
  subscribed(): string[];
  disconnected(): { reason: number; reasonName: string } | null;
  leave(): Promise<void>;
}

function call<K extends keyof Harness>(
  page: Page,
  name: K,
  ...args: Parameters<Harness[K]>
): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([n, a]) => (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[n]!(...a),
    [name, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}

let t: TestApp;
let site: Awaited<ReturnType<typeof serveLivekitPage>>;
let browser: Browser;
let rooms: RoomServiceClient;
let event: Awaited<ReturnType<typeof makeEvent>>;
let room: string;
let organizer: Person;
let moderator: Person;
let speaker: Person;
let amina: Person;
let bilal: Person;
let modSocket: ClientSocket;
let aminaSocket: ClientSocket;
const pages: Record<string, Page> = {};
const contexts: BrowserContext[] = [];
const aminaYou: { canPublish: boolean; hand: StageHand | null }[] = [];

const emit = (s: ClientSocket, name: string, payload: object) =>
  (s as unknown as Socket)
    .timeout(10_000)
    .emitWithAck(name, { slug: SLUG, opId: crypto.randomUUID(), ...payload }) as Promise<
    { ok: true; data: unknown } | { ok: false; error: { code: string } }
  >;

async function join(name: string, person: Person): Promise<Page> {
  const res = await api(t, 'post', `/api/events/${SLUG}/livekit-token`, { cookie: person.cookie });
  expect(res.status).toBe(200);
  const token = (await res.json()) as LivekitTokenResponse;
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(site.url, { timeout: 15_000 });
  await page.waitForFunction(() => 'harness' in window && 'LivekitClient' in window, undefined, { timeout: 10_000 });
  expect(await call(page, 'connect', token.url, token.token)).toBe('connected');
  pages[name] = page;
  return page;
}

const participant = async (identity: string): Promise<ParticipantInfo | undefined> =>
  (await rooms.listParticipants(room)).find((p) => p.identity === identity);
const tracks = (p: ParticipantInfo | undefined, source: TrackSource) =>
  (p?.tracks ?? []).filter((tr) => tr.source === source);

async function report(): Promise<AttendanceReport> {
  const res = await api(t, 'get', `/api/events/${SLUG}/attendance`, { cookie: organizer.cookie });
  return (await res.json()) as AttendanceReport;
}

async function stage(): Promise<StageState> {
  const ack = (await (modSocket as unknown as Socket)
    .timeout(5000)
    .emitWithAck('live:snapshot', { slug: SLUG, feature: 'stage' })) as { ok: true; data: { state: StageState } };
  return ack.data.state;
}

beforeAll(async () => {
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  t = await startTestApp();
  event = await makeEvent(t, SLUG, 'scheduled');
  room = `event-${event.id}`;
  organizer = await personWith(t, 'organizer', event.id);
  moderator = await personWith(t, 'moderator', event.id, 'Moderator Mo');
  speaker = await personWith(t, 'speaker', event.id, 'Speaker Sam');
  amina = await personWith(t, 'audience', event.id, 'Amina');
  bilal = await personWith(t, 'audience', event.id, 'Bilal');
  modSocket = await socketFor(t.url, moderator.cookie);
  aminaSocket = await socketFor(t.url, amina.cookie);
  aminaSocket.on('stage:you', (y) => aminaYou.push(y));
  site = await serveLivekitPage(PAGE);
  browser = await launchBrowser(['--allow-loopback-in-peer-connection']);
});

afterAll(async () => {
  for (const page of Object.values(pages)) await call(page, 'leave').catch(() => {});
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await site?.close();
  modSocket?.disconnect();
  aminaSocket?.disconnect();
  if (room) await rooms.deleteRoom(room).catch(() => {});
  await t?.close();
});

describe('the stage against a real livekit-server', () => {
  it('opens the green room for the speaker, then goes live and counts the audience from real webhooks', async () => {
    expect(await emit(modSocket, 'stage:phase', { phase: 'greenroom' })).toMatchObject({ ok: true });
    const sam = await join('speaker', speaker);
    for (const what of ['camera', 'microphone', 'screen'] as const) {
      expect(await call(sam, 'publish', what)).toEqual({ ok: true });
    }
    await waitFor('speaker’s camera, microphone and screen share on the server', 20_000, async () => {
      const p = await participant(speaker.userId!);
      return [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE].every(
        (s) => tracks(p, s).length === 1,
      )
        ? true
        : undefined;
    });

    expect(await emit(modSocket, 'stage:phase', { phase: 'live' })).toMatchObject({ ok: true });
    const a = await join('amina', amina);
    const b = await join('bilal', bilal);
    for (const page of [a, b]) {
      await waitFor('audience receives the speaker’s three tracks', 20_000, async () =>
        (await call(page, 'subscribed')).length === 3 ? true : undefined,
      );
    }
    const counted = await waitFor('two audience members counted from participant_joined', 10_000, async () => {
      const r = await report();
      return r.audienceNow === 2 ? r : undefined;
    });
    expect(counted.peakAudience).toBe(2);
    const names = counted.people.map((p) => `${p.displayName}:${p.role}`).sort();
    expect(names).toEqual(['Amina:audience', 'Bilal:audience', 'Speaker Sam:speaker']);
    expect((await stage()).audience).toEqual({ now: 2, peak: 2 });
  });

  it('lets a moderator mute the speaker’s microphone, and not the audience', async () => {
    expect(await emit(aminaSocket, 'stage:mute', { userId: speaker.userId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(tracks(await participant(speaker.userId!), TrackSource.MICROPHONE)[0]!.muted).toBe(false);

    expect(await emit(modSocket, 'stage:mute', { userId: speaker.userId })).toEqual({ ok: true, data: null });
    await waitFor('microphone muted on the server', 10_000, async () =>
      tracks(await participant(speaker.userId!), TrackSource.MICROPHONE)[0]?.muted ? true : undefined,
    );
  });

  it('stops the speaker’s screen share for every viewer, and lets them share again later', async () => {
    expect(await emit(aminaSocket, 'stage:stop-share', { userId: speaker.userId })).toMatchObject({ ok: false });
    expect(tracks(await participant(speaker.userId!), TrackSource.SCREEN_SHARE)).toHaveLength(1);

    expect(await emit(modSocket, 'stage:stop-share', { userId: speaker.userId })).toEqual({ ok: true, data: null });
    await waitFor('screen share gone from the server', 10_000, async () =>
      tracks(await participant(speaker.userId!), TrackSource.SCREEN_SHARE).length === 0 ? true : undefined,
    );
    await waitFor('screen share gone from the audience’s page', 10_000, async () => {
      const subs = await call(pages.bilal!, 'subscribed');
      return subs.some((s) => s.endsWith('/screen_share')) ? undefined : subs;
    });
    const p = (await participant(speaker.userId!))!;
    expect(tracks(p, TrackSource.CAMERA)).toHaveLength(1);
    expect(p.permission?.canPublishSources).toContain(TrackSource.SCREEN_SHARE);
    expect(p.permission?.canPublishData).toBe(false);
    expect(await emit(modSocket, 'stage:stop-share', { userId: speaker.userId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('spotlights the speaker', async () => {
    expect(await emit(aminaSocket, 'stage:spotlight', { userId: speaker.userId })).toMatchObject({ ok: false });
    expect(await emit(modSocket, 'stage:spotlight', { userId: speaker.userId })).toMatchObject({
      ok: true,
      data: { identity: speaker.userId },
    });
    expect((await stage()).spotlight).toEqual({ identity: speaker.userId });
  });

  it('brings a raised hand on stage: publish granted in the room, seen by the audience, then sent back', async () => {
    expect(await emit(aminaSocket, 'stage:hand', { raised: true, note: 'A question from Rabat' })).toMatchObject({
      ok: true,
    });
    expect((await participant(amina.userId!))!.permission?.canPublish).toBe(false);
    // Another audience member cannot invite her.
    const bilalSocket = await socketFor(t.url, bilal.cookie);
    expect(await emit(bilalSocket, 'stage:invite', { userId: amina.userId })).toMatchObject({ ok: false });
    bilalSocket.disconnect();

    const invited = await emit(modSocket, 'stage:invite', { userId: amina.userId });
    expect(invited).toMatchObject({ ok: true, data: { userId: amina.userId, state: 'onstage' } });
    const perm = (await participant(amina.userId!))!.permission!;
    expect(perm).toMatchObject({ canPublish: true, canPublishData: false, canSubscribe: true });
    expect([...perm.canPublishSources].sort()).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE].sort());
    await waitFor('stage:you says she may publish', 5000, async () => (aminaYou.at(-1)?.canPublish ? true : undefined));

    const page = pages.amina!;
    await waitFor('her browser sees the new permission', 10_000, async () =>
      (await call(page, 'canPublish'))?.canPublish ? true : undefined,
    );
    expect(await call(page, 'publish', 'camera')).toEqual({ ok: true });
    expect(await call(page, 'publish', 'microphone')).toEqual({ ok: true });
    // Not a screen share: that source was not granted.
    expect((await call(page, 'publish', 'screen')).ok).toBe(false);
    await waitFor('Bilal receives Amina’s camera', 20_000, async () =>
      (await call(pages.bilal!, 'subscribed')).includes(`${amina.userId}/camera`) ? true : undefined,
    );

    expect(await emit(modSocket, 'stage:send-back', { userId: amina.userId })).toMatchObject({ ok: true });
    const after = (await participant(amina.userId!))!;
    expect(after.permission?.canPublish).toBe(false);
    await waitFor('her tracks unpublished by livekit-server', 10_000, async () =>
      ((await participant(amina.userId!))?.tracks ?? []).length === 0 ? true : undefined,
    );
    await waitFor('gone from Bilal’s page', 10_000, async () =>
      (await call(pages.bilal!, 'subscribed')).some((s) => s.startsWith(`${amina.userId}/`)) ? undefined : true,
    );
    expect(aminaYou.at(-1)).toMatchObject({ hand: null, canPublish: false });
    expect((await stage()).hands).toEqual({});
  });

  it('removes an audience member from the room (not allowed to the audience)', async () => {
    expect(await emit(aminaSocket, 'stage:remove', { userId: bilal.userId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await participant(bilal.userId!)).toBeDefined();
    // The moderator's client retries with the same op id (its first ack was lost): the first answer
    // again, not "not in the room"; the same op id for someone else is refused.
    const opId = crypto.randomUUID();
    const removeBilal = { userId: bilal.userId, opId };
    expect(await emit(modSocket, 'stage:remove', removeBilal)).toEqual({ ok: true, data: null });
    expect(await emit(modSocket, 'stage:remove', removeBilal)).toEqual({ ok: true, data: null });
    expect(await emit(modSocket, 'stage:remove', { userId: speaker.userId, opId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await participant(speaker.userId!)).toBeDefined();
    // A new op id is a new request: Bilal is no longer in the room.
    expect(await emit(modSocket, 'stage:remove', { userId: bilal.userId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const gone = await waitFor(
      'Bilal’s browser disconnected',
      10_000,
      async () => (await call(pages.bilal!, 'disconnected')) ?? undefined,
    );
    expect(gone.reasonName).toBe('PARTICIPANT_REMOVED');
    const r = await waitFor('participant_left counted', 10_000, async () => {
      const rep = await report();
      return rep.audienceNow === 1 ? rep : undefined;
    });
    expect(r.peakAudience).toBe(2);
    expect(r.people.find((p) => p.userId === bilal.userId)!.sessions[0]!.leftAt).not.toBeNull();
  });

  it('ends the event: the room is deleted, every browser disconnected, the live session closed', async () => {
    expect(await emit(modSocket, 'stage:phase', { phase: 'ended' })).toMatchObject({ ok: true });
    for (const name of ['speaker', 'amina']) {
      const d = await waitFor(
        `${name} disconnected`,
        10_000,
        async () => (await call(pages[name]!, 'disconnected')) ?? undefined,
      );
      expect(d.reasonName).toBe('ROOM_DELETED');
    }
    const r = await waitFor('room_finished recorded', 10_000, async () => {
      const rep = await report();
      return rep.liveSessions[0]?.endedAt &&
        rep.audienceNow === 0 &&
        rep.people.every((p) => p.sessions.every((s) => s.leftAt))
        ? rep
        : undefined;
    });
    expect(r.peakAudience).toBe(2);
    expect(r.liveSessions).toHaveLength(1);
    expect(await rooms.listRooms([room])).toEqual([]);
  });
});
