/**
 * Recording end to end, in Chromium against the run's real livekit-server: a speaker's browser
 * (fake camera and microphone) publishes; the event goes live and the server's built-in recorder
 * (its own headless Chromium on /record/<slug>) joins hidden, composes the stage, records about
 * 8 s and streams the chunks; the event ends; the processed MP4's duration is within 2 s of the
 * recorded span, it has moving video and sound. Also: the same layout page as a LiveKit Egress
 * custom template (?url=&token=) announces START_RECORDING; the organizer's recording page shows
 * the result, and passes axe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LivekitTokenResponse, RecordingAdminView } from '@colloquy/shared';
import { serveLivekitPage } from '../support/livekit-page.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { inContext, waitFor } from '../support/e2e.ts';
import { probe } from '../../server/src/recording/ffmpeg.ts';
import { mintRecorderToken } from '../../server/src/stage/tokens.ts';

const SLUG = 'recording-e2e';
const RECORD_SECONDS = 8;

/** A speaker's page: joins with a token and publishes its fake camera and microphone. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>speaker</title>
<script src="/livekit-client.umd.js"></script>
<script>
window.publish = async (url, token) => {
  const LK = window.LivekitClient;
  const room = new LK.Room({ adaptiveStream: false, dynacast: false });
  window.room = room;
  await room.connect(url, token);
  await room.localParticipant.setCameraEnabled(true, { resolution: { width: 640, height: 360, frameRate: 15 } });
  await room.localParticipant.setMicrophoneEnabled(true);
  return room.localParticipant.trackPublications.size;
};
window.remoteCount = () => window.room ? window.room.remoteParticipants.size : -1;
</script></head><body><p>speaker</p></body></html>`;

/** Mean luma change between frames (signalstats YDIF), and mean volume in dB. */
function motionAndVolume(file: string): { ydif: number; meanVolume: number } {
  const v = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-i',
      file,
      '-vf',
      'signalstats,metadata=print:key=lavfi.signalstats.YDIF',
      '-an',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  const difs = [...v.stderr.matchAll(/YDIF=([\d.]+)/g)].map((m) => Number(m[1]));
  const a = spawnSync('ffmpeg', ['-hide_banner', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const mean = Number(a.stderr.match(/mean_volume: (-?[\d.]+) dB/)?.[1] ?? -100);
  return { ydif: difs.reduce((s, x) => s + x, 0) / Math.max(1, difs.length), meanVolume: mean };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-rec-e2e-'));
let t: TestApp;
let site: Awaited<ReturnType<typeof serveLivekitPage>>;
let browser: Browser;
let speakerPage: Page;
let rooms: RoomServiceClient;
let event: Awaited<ReturnType<typeof makeEvent>>;
let speaker: Person;

beforeAll(async () => {
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  t = await startTestApp({
    web: true,
    recording: { recorder: 'chromium', dir: path.join(tmp, 'recordings'), pollMs: 1000, stopGraceMs: 10_000 },
  });
  event = await makeEvent(t, SLUG, 'live');
  speaker = await personWith(t, 'speaker', event.id, 'Speaker Sam');
  site = await serveLivekitPage(PAGE);
  browser = await launchBrowser(['--allow-loopback-in-peer-connection']);
});

afterAll(async () => {
  await browser?.close().catch(() => {});
  await site?.close();
  if (event) await rooms.deleteRoom(`event-${event.id}`).catch(() => {});
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('recording a live panel', () => {
  it('records the speaker through the built-in recorder, and the MP4 lasts as long as the recording', async () => {
    // The speaker publishes camera and microphone.
    const res = await api(t, 'post', `/api/events/${SLUG}/livekit-token`, { cookie: speaker.cookie });
    const token = (await res.json()) as LivekitTokenResponse;
    speakerPage = await (await browser.newContext()).newPage();
    await speakerPage.goto(site.url);
    expect(
      await speakerPage.evaluate(
        ([u, tk]) => (window as never as { publish: (a: string, b: string) => Promise<number> }).publish(u!, tk!),
        [token.url, token.token],
      ),
    ).toBe(2);
    await waitFor('the speaker’s tracks on the server', 20_000, async () => {
      const me = (await rooms.listParticipants(token.room)).find((p) => p.identity === token.identity);
      return me && me.tracks.length === 2 ? true : undefined;
    });

    // The event goes live: the recorder joins, hidden, and chunks arrive.
    await t.app.recording.hooks.onLive(event.id);
    const recorder = await waitFor('the recorder in the room', 30_000, async () => {
      const list = await rooms.listParticipants(token.room);
      return list.find((p) => p.identity.startsWith('recorder-'));
    });
    expect(recorder.permission).toMatchObject({
      hidden: true,
      recorder: true,
      canPublish: false,
      canPublishData: false,
    });
    expect(recorder.tracks).toEqual([]);
    // Hidden: the speaker's browser does not see it.
    expect(await speakerPage.evaluate(() => (window as never as { remoteCount: () => number }).remoteCount())).toBe(0);

    const first = await waitFor('the first chunk', 30_000, async () => {
      const r = await t.app.recording.getRecording(event.id);
      return r && r.segments[0] && r.segments[0].chunks >= 1 ? r : undefined;
    });
    const segmentStart = Date.parse(first.segments[0]!.startedAt);
    await new Promise((r) => setTimeout(r, RECORD_SECONDS * 1000));

    // The event ends: the recorder flushes its last chunk, the job makes the files.
    await t.app.catalogue.store.putEvent({ ...event, status: 'ended' }, 'organizer', event);
    const endedAt = Date.now();
    await t.app.recording.hooks.onEnded(event.id);
    const span = (endedAt - segmentStart) / 1000;
    const done = await waitFor('processing', 120_000, async () => {
      const r = await t.app.recording.getRecording(event.id);
      return r && (r.status === 'ready' || r.status === 'failed') ? r : undefined;
    });
    expect(done.status).toBe('ready');
    expect(done.segments).toHaveLength(1);
    console.log(
      `recorded span ${span.toFixed(2)} s, MP4 ${done.durationSeconds?.toFixed(2)} s, ` +
        `${done.segments[0]!.chunks} chunks, ${(done.segments[0]!.bytes / 1024).toFixed(0)} KB of WebM`,
    );
    expect(Math.abs(done.durationSeconds! - span)).toBeLessThan(2);
    expect(span).toBeGreaterThan(RECORD_SECONDS);

    const mp4 = path.join(tmp, 'panel.mp4');
    fs.writeFileSync(mp4, Buffer.from(await (await fetch(t.url + done.mp4Url!)).arrayBuffer()));
    const info = await probe(mp4);
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(info.audio).toMatchObject({ codec: 'aac' });
    // The fake camera moves and the fake microphone beeps: the stage was drawn and the sound mixed.
    const { ydif, meanVolume } = motionAndVolume(mp4);
    console.log(`mean frame difference ${ydif.toFixed(2)}, mean volume ${meanVolume} dB`);
    expect(ydif).toBeGreaterThan(0.5);
    expect(meanVolume).toBeGreaterThan(-50);
    // The recorder left the room.
    await waitFor('the recorder gone', 15_000, async () =>
      (await rooms.listParticipants(token.room)).some((p) => p.identity.startsWith('recorder-')) ? undefined : true,
    );
  }, 240_000);

  it('works as a LiveKit Egress custom template (?url=&token=): joins and announces START_RECORDING', async () => {
    const lk = inject('livekit');
    const { token } = await mintRecorderToken({ ...lk, eventId: event.id, identity: 'egress-template-test' });
    await inContext(browser, { viewport: { width: 1280, height: 720 } }, async (page) => {
      const started = page.waitForEvent('console', {
        predicate: (m) => m.text() === 'START_RECORDING',
        timeout: 20_000,
      });
      await page.goto(`${t.url}/record/${SLUG}?url=${encodeURIComponent(lk.url)}&token=${encodeURIComponent(token)}`);
      await started;
      const state = await page.evaluate(
        () => (window as never as { __colloquyRecorder: { state: string } }).__colloquyRecorder.state,
      );
      expect(state).toBe('recording');
      // It draws the speaker's camera onto the canvas covering the page.
      const box = await page.locator('canvas').boundingBox();
      expect(box).toMatchObject({ width: 1280, height: 720 });
      await waitFor('the speaker’s video drawn', 20_000, async () => {
        const lit = await page.evaluate(() => {
          const c = document.querySelector('canvas')!;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let bright = 0;
          for (let i = 0; i < d.length; i += 4 * 97) if (d[i]! + d[i + 1]! + d[i + 2]! > 300) bright++;
          return bright;
        });
        return lit > 200 ? true : undefined;
      });
      const ended = page.waitForEvent('console', { predicate: (m) => m.text() === 'END_RECORDING', timeout: 15_000 });
      await rooms.removeParticipant(`event-${event.id}`, 'egress-template-test');
      await ended;
    });
  }, 60_000);

  it('refuses to record without a token', async () => {
    await inContext(browser, {}, async (page) => {
      await page.goto(`${t.url}/record/${SLUG}`);
      await expect
        .poll(
          () =>
            page.evaluate(
              () => (window as never as { __colloquyRecorder?: { state: string } }).__colloquyRecorder?.state,
            ),
          { timeout: 10_000 },
        )
        .toBe('failed');
    });
  });

  it('shows the organizer the recording, its progress and files, and runs it again', async () => {
    const organizer = await personWith(t, 'organizer', event.id);
    const [name, value] = organizer.cookie.split('=');
    await inContext(browser, { cookies: [{ name: name!, value: value!, url: t.url }] }, async (page) => {
      await page.goto(`${t.url}/admin/events/${event.id}/recording`);
      await page.getByRole('heading', { level: 1, name: 'Recording' }).waitFor();
      await page.getByText('Ready', { exact: true }).waitFor();
      expect(await page.getByRole('progressbar', { name: 'Processing' }).getAttribute('value')).toBe('100');
      expect(await page.getByRole('link', { name: 'Download MP4' }).getAttribute('href')).toMatch(
        /\/media\/recordings\/.+\.mp4$/,
      );
      expect(await page.getByRole('link', { name: 'Recording', exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Run processing again' }).click();
      await page.getByText('Processing again.').waitFor();
      const view = async () =>
        (
          (await (
            await api(t, 'get', `/api/admin/events/${event.id}/recording`, { cookie: organizer.cookie })
          ).json()) as RecordingAdminView
        ).recording;
      await expect.poll(view, { timeout: 90_000, interval: 500 }).toMatchObject({ status: 'ready', runs: 2 });
      // The page refreshes itself while the job runs, and shows the end.
      await page.getByText('Ready', { exact: true }).waitFor({ timeout: 10_000 });
      expect(await page.getByRole('progressbar', { name: 'Processing' }).getAttribute('value')).toBe('100');

      // Switch recording off for this event (keyboard and label reach the checkbox).
      await page.getByRole('checkbox', { name: /Record the stage/ }).uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('This event is not recorded.').waitFor();
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    });
  }, 150_000);
});
