/**
 * A network drop on the live stage: the pages recover by themselves.
 *
 * This file runs its own livekit-server. While an audience page watches and hears a speaker, the
 * server is killed (SIGKILL: every signal and media connection drops at once, as when the network
 * goes away) and started again on the same ports a few seconds later. Nobody reloads or clicks:
 * the audience page says it is reconnecting, then decodes the speaker's video and plays their
 * audio again, and the speaker's backstage page publishes again. A short drop is bridged by
 * livekit-client's own reconnection; a drop that outlasts it (about 45 s) by the page's own loop,
 * which fetches a fresh token and joins a new Room.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';
import { decodedFrames, hearing, launchStageBrowser, openAs, type PersonPage } from '../support/stage.ts';
import { member, ok, type Member } from '../integration/stage-support.ts';
import { ensureLivekitServer } from '../../server/src/services/install.ts';
import {
  startLivekitServer,
  type LivekitServerHandle,
  type LivekitServerOptions,
} from '../../server/src/services/livekit-server.ts';
import { freePort, freeUdpPort } from '../../server/src/services/ports.ts';
import { loadConfig } from '../../server/src/config/index.ts';

const SLUG = 'stage-rejoin';
const MEDIA_MS = 45_000;
const media = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: MEDIA_MS, interval: 250 });

let dir: string;
let lkOptions: LivekitServerOptions & { binary: string; dir: string };
let lk: LivekitServerHandle;
let t: TestApp;
let browser: Browser;
let moderator: Member;
let speaker: Person;
let viewer: Person;
const pages: PersonPage[] = [];

async function open(person: Person, where: string): Promise<Page> {
  const p = await openAs(browser, t.url, person, where);
  pages.push(p);
  return p.page;
}

/** Frames keep coming: the count grows over a second (a frozen or replaced-but-dead element would not). */
async function framesFlowing(page: Page, identity: string): Promise<boolean> {
  const before = await decodedFrames(page, identity);
  await new Promise((r) => setTimeout(r, 1000));
  return before > 0 && (await decodedFrames(page, identity)) > before;
}

const roomStatus = (page: Page) => page.getByTestId('stage-live').getAttribute('data-room-status');

/** The drop: every connection to the SFU goes at once. */
async function dropServer(): Promise<void> {
  const exited = new Promise((r) => lk.child.process.once('exit', r));
  lk.child.process.kill('SIGKILL');
  await exited;
}

/**
 * The network is back (same address, a server that has forgotten every session): waits until the
 * page is connected, decodes the speaker's video and hears them, and answers how long that took.
 */
async function restoreAndRecover(watcher: Page): Promise<number> {
  const back = Date.now();
  lk = await startLivekitServer(lkOptions);
  await media(() => roomStatus(watcher)).toBe('connected');
  await media(() => framesFlowing(watcher, speaker.userId!)).toBe(true);
  const recovered = Date.now() - back;
  await media(() => hearing(watcher, speaker.userId!)).toBe(true);
  return recovered;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-rejoin-'));
  lkOptions = {
    binary: await ensureLivekitServer(loadConfig().home, () => {}),
    dir,
    port: await freePort(),
    rtcTcpPort: await freePort(),
    rtcUdpPort: await freeUdpPort(),
    apiKey: 'APIrejoin' + Math.random().toString(36).slice(2, 8),
    apiSecret: 'rejoin-secret-' + 'x'.repeat(40),
    webhookUrl: `${inject('webhookRelay')}/livekit`,
  };
  lk = await startLivekitServer(lkOptions);
  t = await startTestApp({ web: true, livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret } });
  const event = await makeEvent(t, SLUG, 'scheduled');
  moderator = await member(t, 'moderator', event);
  speaker = await personWith(t, 'speaker', event.id, 'Amina Diallo');
  viewer = await personWith(t, 'audience', event.id, 'Ada Audience');
  await ok(moderator.socket, 'stage:phase', { slug: SLUG, phase: 'live' });
  browser = await launchStageBrowser();
}, 60_000);

afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  moderator?.socket.disconnect();
  await t?.close();
  await lk?.child.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the live stage after a network drop', () => {
  it('reconnects the audience and the speaker by themselves once the server is reachable again', async () => {
    const backstage = await open(speaker, `/events/${SLUG}/backstage`);
    await expect
      .poll(() => backstage.getByLabel('Camera', { exact: true }).locator('option').count(), { timeout: MEDIA_MS })
      .toBeGreaterThan(0);
    await backstage.getByRole('button', { name: 'Join the green room' }).click({ timeout: MEDIA_MS });

    const watcher = await open(viewer, `/events/${SLUG}`);
    await watcher.getByTestId('stage-live').waitFor({ timeout: MEDIA_MS });
    await media(() => framesFlowing(watcher, speaker.userId!)).toBe(true);
    await media(() => hearing(watcher, speaker.userId!)).toBe(true);
    expect(await roomStatus(watcher)).toBe('connected');

    await dropServer();
    await media(() => roomStatus(watcher)).not.toBe('connected');
    await expect.poll(() => watcher.getByRole('status').first().textContent()).toMatch(/Reconnecting/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await roomStatus(watcher)).not.toBe('connected');

    const recovered = await restoreAndRecover(watcher);
    expect(await watcher.getByRole('status').first().textContent()).not.toMatch(/Reconnecting|Disconnected/);
    // livekit-client's own reconnection may bring the room back, or ours (a fresh token, a new Room).
    const joins = Number(await watcher.getByTestId('stage-live').getAttribute('data-joins'));
    console.log(
      `[rejoin] server back → audience decoding the speaker again in ${recovered} ms ` +
        `(${joins > 1 ? 'rejoined with a fresh token' : "livekit-client's own reconnection"})`,
    );
  }, 180_000);

  it('joins again with a fresh token when the drop outlasts livekit-client’s own reconnection', async () => {
    const watcher = pages[1]!.page;
    const joinsBefore = Number(await watcher.getByTestId('stage-live').getAttribute('data-joins'));
    await dropServer();
    // livekit-client gives up after about 45 s of retries; then the page's own loop takes over,
    // fetching a token and trying a new connection, and says so.
    await expect
      .poll(() => watcher.getByRole('status').first().textContent(), { timeout: 90_000, interval: 500 })
      .toMatch(/could not connect to the stage/);
    const recovered = await restoreAndRecover(watcher);
    expect(Number(await watcher.getByTestId('stage-live').getAttribute('data-joins'))).toBeGreaterThan(joinsBefore);
    console.log(`[rejoin] after a long drop: server back → decoding again in ${recovered} ms, with a fresh token`);
  }, 240_000);
});
