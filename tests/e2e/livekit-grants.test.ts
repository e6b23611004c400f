/**
 * LiveKit grants, end to end: real Chromium browsers running livekit-client against the run's real
 * livekit-server, with tokens from the app's own endpoint.
 *
 * - Control: a speaker's browser publishes its fake camera, and the server lists the video track.
 * - Audience: the token is subscribe-only; livekit-client refuses to publish, and when the test
 *   forces the client past its own check, livekit-server still refuses the track.
 * - Ban: a moderator's ban through the API removes the audience member's browser from the room.
 *
 * The app's pages have a strict CSP, so the browsers open a page from a tiny static server of this
 * file's own (no CSP) that loads livekit-client's UMD build from node_modules.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RoomServiceClient, TokenVerifier, TrackSource, TrackType, type ParticipantInfo } from 'livekit-server-sdk';
import type { LivekitTokenResponse } from '@colloquy/shared';
import { livekitPage, serveLivekitPage } from '../support/livekit-page.ts';
import { waitFor } from '../support/e2e.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { launchBrowser } from '../support/browser.ts';

const SLUG = 'grants-e2e';

/** Runs in the page: a small driver around livekit-client, on `window.harness`. */
const HARNESS = String.raw`
const LK = window.LivekitClient;
const within = (ms, what, p) => Promise.race([
  p,
  new Promise((_, reject) => setTimeout(() => reject(new Error(what + ': no answer within ' + ms + ' ms')), ms)),
]);
const describeError = (e) => ({ name: e && e.name, message: String(e && e.message || e), status: e && (e.status ?? e.code ?? e.reason) });
const state = { room: null, disconnected: null, subscribed: [] };
window.harness = {
  async connect(url, token) {
    const room = new LK.Room({ adaptiveStream: false, dynacast: false });
    state.room = room;
    room.on(LK.RoomEvent.Disconnected, (reason) => {
      state.disconnected = { reason, reasonName: LK.DisconnectReason[reason], at: Date.now() };
    });
    room.on(LK.RoomEvent.TrackSubscribed, (track, pub, participant) => {
      state.subscribed.push({ kind: track.kind, source: track.source, from: participant.identity });
    });
    await within(20000, 'room.connect', room.connect(url, token));
    const p = room.localParticipant;
    return {
      state: room.state,
      identity: p.identity,
      canPublish: p.permissions ? p.permissions.canPublish : null,
      canPublishData: p.permissions ? p.permissions.canPublishData : null,
    };
  },
  async enableCamera() {
    try {
      await within(20000, 'setCameraEnabled', state.room.localParticipant.setCameraEnabled(true));
      return { ok: true, published: state.room.localParticipant.videoTrackPublications.size };
    } catch (e) {
      return { ok: false, error: describeError(e), published: state.room.localParticipant.videoTrackPublications.size };
    }
  },
  /** Lies to livekit-client about the grants, so the publish request really reaches the server. */
  async forcePublishCamera() {
    const lp = state.room.localParticipant;
    lp.permissions = { ...lp.permissions, canPublish: true, canPublishSources: [] };
    const track = await LK.createLocalVideoTrack();
    try {
      await within(20000, 'publishTrack', lp.publishTrack(track, { source: LK.Track.Source.Camera }));
      return { ok: true, published: lp.videoTrackPublications.size };
    } catch (e) {
      return { ok: false, error: describeError(e), published: lp.videoTrackPublications.size };
    } finally {
      track.stop();
    }
  },
  subscribed() { return state.subscribed; },
  roomState() { return state.room ? state.room.state : 'none'; },
  disconnected() { return state.disconnected; },
  async leave() { if (state.room) await state.room.disconnect(); },
};
`;

const PAGE = livekitPage('livekit grants harness', HARNESS);

interface Tab {
  context: BrowserContext;
  page: Page;
}

type ConnectResult = { state: string; identity: string; canPublish: boolean | null; canPublishData: boolean | null };
type PublishResult = { ok: boolean; published: number; error?: { name: string; message: string; status: unknown } };
/** What `window.harness` (HARNESS above) offers the test. */
interface Harness {
  connect(url: string, token: string): Promise<ConnectResult>;
  enableCamera(): Promise<PublishResult>;
  forcePublishCamera(): Promise<PublishResult>;
  subscribed(): { kind: string; source: string; from: string }[];
  roomState(): string;
  disconnected(): { reason: number; reasonName: string; at: number } | null;
  leave(): Promise<void>;
}

/** Calls `window.harness[name](...args)` in the page. */
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
let speaker: Person;
let audience: Person;
let moderator: Person;
const tabs: Tab[] = [];

async function tokenFor(person: Person): Promise<LivekitTokenResponse> {
  const res = await api(t, 'post', `/api/events/${SLUG}/livekit-token`, { cookie: person.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as LivekitTokenResponse;
}

async function openTab(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  tabs.push({ context, page });
  await page.goto(site.url, { timeout: 15_000 });
  await page.waitForFunction(() => 'harness' in window && 'LivekitClient' in window, undefined, { timeout: 10_000 });
  return page;
}

async function joinRoom(page: Page, token: LivekitTokenResponse): Promise<ConnectResult> {
  return call(page, 'connect', token.url, token.token);
}

const participants = (room: string) => rooms.listParticipants(room);
const find = (list: ParticipantInfo[], identity: string) => list.find((p) => p.identity === identity);
const videoTracks = (p: ParticipantInfo | undefined) => (p?.tracks ?? []).filter((tr) => tr.type === TrackType.VIDEO);

beforeAll(async () => {
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  t = await startTestApp();
  event = await makeEvent(t, SLUG, 'live');
  speaker = await personWith(t, 'speaker', event.id, 'Speaker Sam');
  audience = await personWith(t, 'audience', event.id, 'Audience Ada');
  moderator = await personWith(t, 'moderator', event.id, 'Moderator Mo');
  site = await serveLivekitPage(PAGE);
  // livekit-server offers only 127.0.0.1 candidates; this lets Chromium gather loopback candidates too,
  // so media stays on loopback at both ends (STACK.md). The test also passed here without it.
  browser = await launchBrowser(['--allow-loopback-in-peer-connection']);
});

afterAll(async () => {
  for (const tab of tabs) {
    await call(tab.page, 'leave').catch(() => {});
    await tab.context.close().catch(() => {});
  }
  await browser?.close().catch(() => {});
  await site?.close();
  if (event) await rooms.deleteRoom(`event-${event.id}`).catch(() => {});
  await t?.close();
});

describe('LiveKit grants against a real livekit-server', () => {
  let room: string;
  let speakerIdentity: string;

  it('control: a speaker’s browser publishes its fake camera and the server lists the video track', async () => {
    const token = await tokenFor(speaker);
    room = token.room;
    speakerIdentity = token.identity;
    const page = await openTab();
    const joined = await joinRoom(page, token);
    expect(joined).toMatchObject({
      state: 'connected',
      identity: speaker.userId,
      canPublish: true,
      canPublishData: false,
    });

    const published = await call(page, 'enableCamera');
    expect(published).toEqual({ ok: true, published: 1 });

    // A track is listed by the server once its media arrives, so this also proves ICE on loopback works.
    const onServer = await waitFor('speaker video track on the server', 20_000, async () => {
      const me = find(await participants(room), speakerIdentity);
      return videoTracks(me).length > 0 ? me : undefined;
    });
    expect(onServer.permission?.canPublish).toBe(true);
    expect(videoTracks(onServer)).toEqual([
      expect.objectContaining({ type: TrackType.VIDEO, source: TrackSource.CAMERA }),
    ]);
  });

  it('audience: the token is subscribe-only, and the server refuses the browser’s camera', async () => {
    const token = await tokenFor(audience);
    expect(token.room).toBe(room);

    const { apiKey, apiSecret } = inject('livekit');
    const claims = await new TokenVerifier(apiKey, apiSecret).verify(token.token);
    expect(claims.video?.canPublish).toBe(false);
    expect(claims.video?.canPublishData).toBe(false);
    expect(claims.video?.canSubscribe).toBe(true);

    const page = await openTab();
    const joined = await joinRoom(page, token);
    expect(joined).toMatchObject({
      state: 'connected',
      identity: audience.userId,
      canPublish: false,
      canPublishData: false,
    });

    // The audience's connection works: it receives the speaker's camera.
    await waitFor('audience subscribed to the speaker’s video', 20_000, async () => {
      const subs = await call(page, 'subscribed');
      return subs.some((s) => s.kind === 'video' && s.from === speakerIdentity) ? true : undefined;
    });

    // 1. The ordinary way: livekit-client checks the permissions livekit-server sent at join.
    const asked = await call(page, 'enableCamera');
    expect(asked.ok).toBe(false);
    expect(asked.published).toBe(0);
    expect(asked.error?.message).toMatch(/insufficient permissions/);

    // 2. Past the client's own check: the publish request reaches livekit-server, which must refuse it.
    const forced = await call(page, 'forcePublishCamera');
    expect(forced.ok, `livekit-server accepted an audience track: ${JSON.stringify(forced)}`).toBe(false);
    expect(forced.published).toBe(0);

    // The server side: listed, not allowed to publish, and no track at all.
    const me = find(await participants(room), token.identity);
    expect(me).toBeDefined();
    expect(me!.permission?.canPublish).toBe(false);
    expect(me!.permission?.canPublishData).toBe(false);
    expect(me!.tracks).toEqual([]);
    // Give any media that did get through a moment to be registered, then look again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(find(await participants(room), token.identity)!.tracks).toEqual([]);
    // The speaker is unaffected (the control still holds).
    expect(videoTracks(find(await participants(room), speakerIdentity))).toHaveLength(1);
  });

  it('ban: a moderator’s ban removes the audience member’s browser from the LiveKit room', async () => {
    const banned = await personWith(t, 'audience', event.id, 'Banned Bo');
    const token = await tokenFor(banned);
    const page = await openTab();
    const joined = await joinRoom(page, token);
    expect(joined.state).toBe('connected');
    await waitFor('banned person listed in the room', 10_000, async () =>
      find(await participants(room), token.identity) ? true : undefined,
    );

    const started = Date.now();
    const res = await api(t, 'post', `/api/events/${SLUG}/bans`, {
      cookie: moderator.cookie,
      body: { userId: banned.userId },
    });
    expect(res.status).toBe(204);

    const disconnected = await waitFor(
      'browser Room emits Disconnected',
      10_000,
      async () => (await call(page, 'disconnected')) ?? undefined,
    );
    expect(disconnected.reasonName).toBe('PARTICIPANT_REMOVED');
    expect(disconnected.at - started).toBeLessThan(10_000);

    await waitFor('banned person gone from listParticipants', 10_000, async () =>
      find(await participants(room), token.identity) ? undefined : true,
    );
    // It stays out: livekit-client does not try to reconnect after being removed.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await call(page, 'roomState')).toBe('disconnected');
    expect(find(await participants(room), token.identity)).toBeUndefined();
    // And the app gives them no new token.
    const again = await api(t, 'post', `/api/events/${SLUG}/livekit-token`, { cookie: banned.cookie });
    expect(again.status).toBe(403);

    // LiveKit cannot revoke a token: rejoining with the one they already had lets them in for a
    // moment, until LiveKit's participant_joined webhook reaches the app, which removes them again.
    const rejoin = await openTab();
    const rejoined = await joinRoom(rejoin, token).catch(() => null);
    const removedAgain = await waitFor(
      'rejoined browser removed again',
      10_000,
      async () =>
        (await call(rejoin, 'disconnected')) ??
        (rejoined === null ? { reasonName: 'refused', reason: -1, at: Date.now() } : undefined),
    );
    expect(['PARTICIPANT_REMOVED', 'refused']).toContain(removedAgain.reasonName);
    await waitFor('rejoined person gone from listParticipants', 10_000, async () =>
      find(await participants(room), token.identity) ? undefined : true,
    );
    // The other audience member and the speaker are still there.
    const left = (await participants(room)).map((p) => p.identity).sort();
    expect(left).toEqual([audience.userId, speakerIdentity].sort());
  });
  it('logout: signing out removes the person’s browser from the LiveKit room', async () => {
    const leaver = await personWith(t, 'audience', event.id, 'Leaving Lee');
    const token = await tokenFor(leaver);
    const page = await openTab();
    expect((await joinRoom(page, token)).state).toBe('connected');
    await waitFor('leaver listed in the room', 10_000, async () =>
      find(await participants(room), token.identity) ? true : undefined,
    );
    expect((await api(t, 'post', '/api/auth/logout', { cookie: leaver.cookie })).status).toBe(204);
    const gone = await waitFor(
      'browser Room emits Disconnected',
      10_000,
      async () => (await call(page, 'disconnected')) ?? undefined,
    );
    expect(gone.reasonName).toBe('PARTICIPANT_REMOVED');
    await waitFor('leaver gone from listParticipants', 10_000, async () =>
      find(await participants(room), token.identity) ? undefined : true,
    );
  });
});
