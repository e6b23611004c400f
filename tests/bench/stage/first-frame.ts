/**
 * Time from opening the event page to the first decoded frame of a speaker's video, over repeated
 * joins by fresh audience members in fresh Chromium contexts, against a bare page in the same run:
 * livekit-client alone (no SSR, no socket, no token request, no lazy chunk) joining the same room
 * with a token minted in advance and showing the same track. The difference is what the app adds.
 *
 * Both pages carry the same probe from document start: the first `requestVideoFrameCallback` (or,
 * failing that, the first poll seeing `totalVideoFrames > 0`) of a `video[data-identity=<speaker>]`,
 * as `performance.now()`, i.e. milliseconds since the navigation started.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { AccessToken, RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { io } from 'socket.io-client';
import type { Browser } from 'playwright-core';
import { SESSION_COOKIE } from '@colloquy/shared';
import { createApp, loadWebHandler, type App } from '../../../server/src/http/app.ts';
import { createLogger } from '../../../server/src/log/logger.ts';
import { connectRedis, type Redis } from '../../../server/src/store/redis.ts';
import { freePort } from '../../../server/src/services/ports.ts';
import { grantsFor } from '../../../server/src/stage/tokens.ts';
import type { LivekitCredentials } from '../../../server/src/services/livekit-server.ts';
import { WEB_BUILD } from '../servers.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const LIVEKIT_UMD = path.join(ROOT, 'node_modules/livekit-client/dist/livekit-client.umd.js');
const SLUG = 'bench-stage';
const FRAME_TIMEOUT_MS = 30_000;

/** Installed at document start: records when the first frame of the speaker's video is shown. */
const probe = (identity: string) => `(() => {
  const seen = new WeakSet();
  const done = (t) => { if (window.__firstFrame === undefined) window.__firstFrame = t; };
  const watch = (v) => {
    if (seen.has(v)) return;
    seen.add(v);
    if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback((now) => done(now));
    const poll = setInterval(() => {
      if (window.__firstFrame !== undefined) return clearInterval(poll);
      if (v.getVideoPlaybackQuality().totalVideoFrames > 0) done(performance.now());
    }, 10);
  };
  const scan = () => document.querySelectorAll('video[data-identity="${identity}"]').forEach(watch);
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-identity'] });
})();`;

/** The bare page: livekit-client's UMD build, joining with the token in the URL's hash. */
const BARE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare stage</title>
<script src="/livekit-client.umd.js"></script></head><body><main id="stage"></main><script>
const [url, token] = decodeURIComponent(location.hash.slice(1)).split('|');
const LK = window.LivekitClient;
const room = new LK.Room({ adaptiveStream: true, dynacast: true });
room.on(LK.RoomEvent.TrackSubscribed, (track, pub, p) => {
  if (track.kind !== 'video') return;
  const v = document.createElement('video');
  v.muted = true; v.playsInline = true; v.autoplay = true;
  v.dataset.identity = p.identity;
  v.style.width = '640px';
  document.getElementById('stage').append(v);
  track.attach(v);
});
room.connect(url, token);
</script></body></html>`;

function startBarePage(): Promise<{ url: string; close(): Promise<void> }> {
  const umd = fs.readFileSync(LIVEKIT_UMD);
  const server = http.createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(BARE_PAGE);
    else if (req.url === '/livekit-client.umd.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(umd);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface StageApp {
  app: App;
  url: string;
  eventId: string;
  /** A guest session with `role` at the event, as a cookie header value. */
  person(role: 'audience' | 'speaker' | 'moderator', name: string): Promise<{ userId: string; cookie: string }>;
  close(): Promise<void>;
}

/** The real app with the web handler, on its own Redis database, with one scheduled event. */
export async function startStageApp(redisUrl: string, livekit: LivekitCredentials, db: number): Promise<StageApp> {
  if (!fs.existsSync(path.join(WEB_BUILD, 'handler.js'))) {
    throw new Error(`no web build at ${WEB_BUILD}: run \`npm run build -w web\``);
  }
  const redis: Redis = await connectRedis(`${redisUrl}/${db}`);
  await redis.flushDb();
  const port = await freePort();
  const app = createApp({
    config: { publicUrl: `http://127.0.0.1:${port}`, trustProxy: false },
    redis,
    livekit,
    log: createLogger('silent'),
    web: await loadWebHandler(WEB_BUILD),
  });
  const url = await app.listen(port, '127.0.0.1');
  const event = await app.catalogue.store.putEvent(
    {
      slug: SLUG,
      title: 'Stage benchmark',
      description: 'A panel for the stage benchmark',
      startsAt: new Date(Date.now() + 600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      timeZone: 'Africa/Nairobi',
      status: 'scheduled',
      seriesId: null,
      speakerIds: [],
      location: 'Online',
    },
    'organizer',
  );
  return {
    app,
    url,
    eventId: event.id,
    async person(role, name) {
      const { token, session } = await app.auth.sessions.create({ kind: 'guest', displayName: name });
      await app.auth.roles.grant(event.id, session.userId, role);
      return { userId: session.userId, cookie: `${SESSION_COOKIE}=${token}` };
    },
    async close() {
      await app.close();
      await redis.quit();
    },
  };
}

async function waitFor<T>(what: string, ms: number, probeFn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probeFn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens `url` in a fresh context (with `cookie`), returns ms from navigation start to the first frame. */
async function timeToFirstFrame(browser: Browser, url: string, speaker: string, cookie?: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    if (cookie) {
      const [name, ...rest] = cookie.split('=');
      await context.addCookies([{ name: name!, value: rest.join('='), url: new URL(url).origin }]);
    }
    await context.addInitScript(probe(speaker));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'commit' });
    try {
      const handle = await page.waitForFunction(
        () => (window as unknown as { __firstFrame?: number }).__firstFrame,
        undefined,
        { timeout: FRAME_TIMEOUT_MS, polling: 50 },
      );
      return (await handle.jsonValue()) as number;
    } catch (err) {
      const seen = await page
        .evaluate(() => ({
          videos: [...document.querySelectorAll('video')].map((v) => ({
            identity: v.dataset.identity,
            frames: v.getVideoPlaybackQuality().totalVideoFrames,
          })),
          text: document.querySelector('main')?.textContent?.replace(/\s+/g, ' ').slice(0, 400),
        }))
        .catch(() => null);
      throw new Error(
        `no decoded frame from the speaker within ${FRAME_TIMEOUT_MS} ms at ${url.split('#')[0]}: ${JSON.stringify(seen)}; page errors: ${errors.slice(0, 5).join(' | ') || 'none'}`,
        { cause: err },
      );
    }
  } finally {
    await context.close();
  }
}

export interface FirstFrameResult {
  app: number[];
  bare: number[];
}

/**
 * One fake-camera speaker joins the green room through the backstage page, the moderator goes live
 * over Socket.IO, then `joins` audience members each open the event page (alternating with the bare
 * page, so both see the same machine load).
 */
export async function measureFirstFrames(opts: {
  browser: Browser;
  stage: StageApp;
  livekit: LivekitCredentials;
  joins: number;
  say(m: string): void;
}): Promise<FirstFrameResult> {
  const { browser, stage, livekit, joins, say } = opts;
  const rooms = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  const roomName = `event-${stage.eventId}`;
  const speaker = await stage.person('speaker', 'Bench Speaker');
  const moderator = await stage.person('moderator', 'Bench Moderator');
  const bare = await startBarePage();
  const publisher = await browser.newContext();
  try {
    const [name, ...rest] = speaker.cookie.split('=');
    await publisher.addCookies([{ name: name!, value: rest.join('='), url: stage.url }]);
    const page = await publisher.newPage();
    await page.goto(`${stage.url}/events/${SLUG}/backstage`);
    const join = page.getByRole('button', { name: 'Join the green room' });
    await waitFor('device check ready', 20_000, async () => ((await join.isEnabled()) ? true : undefined));
    await join.click();
    await waitFor('the speaker’s camera on livekit-server', 30_000, async () => {
      const p = (await rooms.listParticipants(roomName)).find((x) => x.identity === speaker.userId);
      return p?.tracks.some((t) => t.type === TrackType.VIDEO) ? true : undefined;
    });
    say('speaker publishing; going live');

    const socket = io(stage.url, { transports: ['websocket'], extraHeaders: { cookie: moderator.cookie } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const ack = (await socket
        .timeout(5000)
        .emitWithAck('stage:phase', { slug: SLUG, opId: crypto.randomUUID(), phase: 'live' })) as { ok: boolean };
      if (!ack.ok) throw new Error(`going live was refused: ${JSON.stringify(ack)}`);
    } finally {
      socket.close();
    }

    const result: FirstFrameResult = { app: [], bare: [] };
    // One join of each, not counted: the first page load warms Chromium's and the server's caches.
    const run = async (counted: boolean, i: number) => {
      const viewer = await stage.person('audience', `Viewer ${i}`);
      const appMs = await timeToFirstFrame(browser, `${stage.url}/events/${SLUG}`, speaker.userId, viewer.cookie);
      const at = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: `bare-${i}`, ttl: 600 });
      at.addGrant(grantsFor('audience', roomName));
      const hash = encodeURIComponent(`${livekit.url}|${await at.toJwt()}`);
      const bareMs = await timeToFirstFrame(browser, `${bare.url}#${hash}`, speaker.userId);
      if (counted) {
        result.app.push(appMs);
        result.bare.push(bareMs);
        say(`  join ${i}: event page ${appMs.toFixed(0)} ms, bare page ${bareMs.toFixed(0)} ms`);
      }
    };
    await run(false, 0);
    for (let i = 1; i <= joins; i++) await run(true, i);
    return result;
  } finally {
    await publisher.close().catch(() => {});
    await bare.close();
    await rooms.deleteRoom(roomName).catch(() => {});
  }
}

/** The q-quantile (0..1) by linear interpolation. */
export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
