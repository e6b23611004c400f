/**
 * The past-event page in Chromium: a panel run through the real modules (a recording ingested
 * from an ffmpeg-made video, questions pinned and answered and a poll launched and published over
 * Socket.IO, a transcript stored by the transcripts module, the event ended by the stage's
 * lifecycle event) replays with hls.js; clicking a transcript line, a chapter or "Jump to answer"
 * seeks there; `?t=` starts there (seconds or `1m2s`); the line being said is marked; the transcript
 * downloads are WebVTT and text; it works from the keyboard; and axe finds nothing at 1280 and
 * 390 px, also for an ended event whose replay is not ready.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Poll, QaQuestion } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { focused, inContext, poll, tabTo, VIEWPORTS } from '../support/e2e.ts';
import { makeEvent } from '../support/people.ts';
import { member, ok, type Member } from '../integration/polls-support.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-archive-e2e-'));
const T0 = Date.now();
let clock = T0;
const setClock = (s: number) => {
  clock = T0 + s * 1000;
};

let t: TestApp;
let browser: Browser;
let slug: string;
let pendingSlug: string;
let question: QaQuestion;
const members: Member[] = [];

const CUES = [
  { start: 0.5, end: 3, text: 'Welcome to this Living Lab panel.' },
  { start: 3, end: 7, text: 'Today we talk about learning on weak networks.' },
  { start: 12, end: 15, text: 'Radio lessons reach pupils in <remote> villages & towns.' },
  { start: 16, end: 19, text: 'Thank you all for listening.' },
  // Enough lines after them for the list to scroll.
  ...Array.from({ length: 40 }, (_, i) => ({ start: 20 + i / 2, end: 20.5 + i / 2, text: `Closing line ${i + 1}.` })),
];

function testVideo(seconds: number): string {
  const file = path.join(tmp, `src-${seconds}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=640x360:rate=15:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file],
  ]);
  return file;
}

/**
 * Resolves once the recording's after-processing step (the app's transcription of the recording)
 * has run for `eventId`, so a transcript the test stores afterwards is not replaced by it.
 */
function afterProcessingOf(app: TestApp['app'], eventId: string): Promise<void> {
  const original = app.recording.processor.afterProcessing;
  return new Promise((resolve) => {
    app.recording.setAfterProcessing(async (id, files) => {
      await original?.(id, files);
      if (id === eventId) resolve();
    });
  });
}

const currentTime = (page: Page) => page.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime);
/** Starts playback muted (a script may always do that, whatever the autoplay policy). */
const playMuted = (page: Page) =>
  page.locator('video').evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
const engine = (page: Page) => page.locator('[data-engine]').getAttribute('data-engine');
const near = (target: number) => async (page: Page) => Math.abs((await currentTime(page)) - target) <= 1;

beforeAll(async () => {
  [t, browser] = await Promise.all([
    startTestApp({
      web: true,
      now: () => new Date(clock),
      recording: { dir: path.join(tmp, 'recordings'), recorder: 'external', pollMs: 500 },
    }),
    launchBrowser(),
  ]);
  const event = await makeEvent(t, 'archive-replay', 'scheduled');
  slug = event.slug;
  // The recording is a file fed through the recording module (as the demo does), so the live
  // recorder is switched off for this event; the file's start is second 0 on the test's clock.
  await t.app.recording.setEnabled(event.id, false);
  setClock(0);
  const processed = afterProcessingOf(t.app, event.id);
  const rec = await t.app.recording.ingestFile(event.id, testVideo(40));
  expect(rec.status).toBe('ready');
  await processed;

  const [moderator, audience] = await Promise.all([
    member(t, 'moderator', event.id, 'Mo Derator'),
    member(t, 'audience', event.id, 'Amina Asks'),
  ]);
  members.push(moderator, audience);
  await ok(moderator.socket, 'stage:phase', { slug, phase: 'live' });
  setClock(1);
  question = await ok<QaQuestion>(audience.socket, 'qa:ask', {
    slug,
    text: 'How do radio lessons reach pupils <b>without</b> internet?',
  });
  const p = await ok<Poll>(moderator.socket, 'polls:create', {
    slug,
    kind: 'single',
    question: 'Do your pupils have a radio at home?',
    options: ['Yes', 'No'],
  });
  setClock(4);
  await ok(moderator.socket, 'polls:open', { slug, pollId: p.id });
  await ok(audience.socket, 'polls:vote', { slug, pollId: p.id, choices: ['o1'] });
  await ok(moderator.socket, 'polls:close', { slug, pollId: p.id });
  await ok(moderator.socket, 'polls:publish', { slug, pollId: p.id, published: true });
  setClock(12);
  await ok(moderator.socket, 'qa:pin', { slug, questionId: question.id });
  setClock(15);
  await ok(moderator.socket, 'qa:answered', { slug, questionId: question.id });
  setClock(21);
  await ok(moderator.socket, 'stage:phase', { slug, phase: 'ended' });
  await t.app.transcripts.replace(event.id, CUES, { source: 'pocketsphinx' });

  pendingSlug = (await makeEvent(t, 'archive-not-ready', 'ended')).slug;
});

afterAll(async () => {
  for (const m of members) m.socket.disconnect();
  await browser?.close();
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the past-event page', () => {
  it('plays the recording through hls.js with the transcript as captions, and marks the line being said', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      await page.goto(`${t.url}/events/${slug}`);
      const video = page.locator('video');
      await expect(video.getAttribute('aria-label')).resolves.toBe('Recording: Test archive-replay');
      await expect(page.locator('video track[kind="captions"]').getAttribute('src')).resolves.toBe(
        `/events/${slug}/transcript.vtt`,
      );
      await poll(() => engine(page)).toBe('hls.js');
      await playMuted(page);
      await poll(() => currentTime(page)).toBeGreaterThan(1);
      // The line being said follows playback.
      await poll(() =>
        page
          .locator('.cues [aria-current="time"]')
          .textContent()
          .then((s) => s?.replace(/\s+/g, ' ').trim()),
      ).toMatch(/Welcome to this Living Lab panel\.|Today we talk/);
      // User text is text: the angle brackets are shown, not parsed.
      await expect(
        page.getByRole('button', { name: /Radio lessons reach pupils in <remote> villages & towns\./ }).count(),
      ).resolves.toBe(1);
      await expect(page.locator('.cues b, .questions b').count()).resolves.toBe(0);
    });
  });

  it('seeks when a transcript line, a chapter or "Jump to answer" is clicked', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      await page.goto(`${t.url}/events/${slug}`);
      await poll(() => engine(page)).toBe('hls.js');
      await page.getByRole('button', { name: /Radio lessons reach pupils/ }).click();
      await poll(() => near(12)(page)).toBe(true);
      await poll(() => page.locator('.cues [aria-current="time"]').getAttribute('data-start')).toBe('12');

      await page.getByRole('button', { name: /Poll: Do your pupils have a radio at home\?/ }).click();
      await poll(() => near(4)(page)).toBe(true);

      const chapters = await page.locator('.chapters button').allTextContents();
      expect(chapters.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual([
        '0:00 Start: Opening Start',
        '0:04 Poll: Do your pupils have a radio at home? Poll',
        '0:12 Question: How do radio lessons reach pupils <b>without</b> internet? Question',
      ]);

      await page.locator('video').evaluate((v: HTMLVideoElement) => v.pause());
      await page.getByRole('button', { name: /^Jump to answer/ }).click();
      await poll(() => near(12)(page)).toBe(true);
      const link = page.getByRole('link', { name: 'Link to this answer' });
      await expect(link.getAttribute('href')).resolves.toBe(`/events/${slug}?t=12`);
      // Following the link on the page seeks too.
      await page.locator('video').evaluate((v: HTMLVideoElement) => v.pause());
      await page.getByRole('button', { name: /Welcome to this Living Lab/ }).click();
      await poll(() => near(0.5)(page)).toBe(true);
      await link.click();
      await page.waitForURL(`${t.url}/events/${slug}?t=12`);
      await poll(() => near(12)(page)).toBe(true);
    });
  });

  it('keeps the line being said in view, but not while the visitor scrolls the transcript', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop, reducedMotion: 'reduce' }, async (page) => {
      await page.goto(`${t.url}/events/${slug}`);
      await poll(() => engine(page)).toBe('hls.js');
      const list = page.locator('.cues');
      const scrollTop = () => list.evaluate((el) => el.scrollTop);
      const currentStart = () => page.locator('.cues [aria-current="time"]').getAttribute('data-start');
      const inView = () =>
        list.evaluate((el) => {
          const item = el.querySelector('[aria-current="time"]');
          if (!item) return false;
          const a = el.getBoundingClientRect();
          const b = item.getBoundingClientRect();
          return b.top >= a.top && b.bottom <= a.bottom;
        });
      expect(await scrollTop()).toBe(0);
      await page.locator('video').evaluate((v: HTMLVideoElement) => (v.currentTime = 35));
      await poll(currentStart).toBe('35');
      await poll(inView).toBe(true);
      expect(await scrollTop()).toBeGreaterThan(0);
      // The visitor scrolls the list back up: playback moving on does not pull it back.
      await list.hover();
      await page.mouse.wheel(0, -5000);
      await poll(scrollTop).toBe(0);
      await page.locator('video').evaluate((v: HTMLVideoElement) => (v.currentTime = 38));
      await poll(currentStart).toBe('38');
      expect(await scrollTop()).toBe(0);
      expect(await inView()).toBe(false);
    });
  });

  it('starts at the moment a ?t= deep link names, in seconds or as 0m16s', async () => {
    await inContext(browser, { viewport: VIEWPORTS.phone }, async (page) => {
      await page.goto(`${t.url}/events/${slug}?t=9`);
      await poll(() => engine(page)).toBe('hls.js');
      await poll(() => near(9)(page)).toBe(true);
      await page.goto(`${t.url}/events/${slug}?t=0m16s`);
      await poll(() => near(16)(page)).toBe(true);
      await poll(() => page.locator('.cues [aria-current="time"]').getAttribute('data-start')).toBe('16');
    });
  });

  it('offers the transcript as WebVTT and as text', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      await page.goto(`${t.url}/events/${slug}`);
      const vttHref = await page.getByRole('link', { name: 'Transcript (WebVTT)' }).getAttribute('href');
      const txtHref = await page.getByRole('link', { name: 'Transcript (text)' }).getAttribute('href');
      const vtt = await page.request.get(t.url + vttHref);
      expect(vtt.headers()['content-type']).toMatch(/^text\/vtt/);
      const body = await vtt.text();
      expect(body).toMatch(/^WEBVTT/);
      expect(body).toContain('00:00:12.000 --> 00:00:15.000');
      const txt = await page.request.get(t.url + txtHref);
      expect(txt.headers()['content-type']).toMatch(/^text\/plain/);
      expect(await txt.text()).toContain('Thank you all for listening.');
    });
  });

  it('works from the keyboard: into the transcript, arrow to a line, Enter plays from it', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      await page.goto(`${t.url}/events/${slug}`);
      await poll(() => engine(page)).toBe('hls.js');
      await page.locator('body').focus();
      await tabTo(page, 'the first transcript line', (f) => f.text.startsWith('0:00 Welcome'));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect((await focused(page)).text).toMatch(/^0:12 Radio lessons/);
      await page.keyboard.press('Enter');
      await poll(() => near(12)(page)).toBe(true);
      // One tab stop for the whole list: the next Tab leaves it.
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).not.toMatch(/^0:1\d /);
      await tabTo(page, 'Jump to answer', (f) => f.text.startsWith('Jump to answer'));
      await page.keyboard.press('Enter');
      await poll(() => near(12)(page)).toBe(true);
    });
  });

  it('is axe clean at 1280 and 390 px, with the answered question and the poll results shown', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      await inContext(browser, { viewport }, async (page) => {
        await page.goto(`${t.url}/events/${slug}`);
        await poll(() => engine(page)).toBe('hls.js');
        await expect(page.getByRole('heading', { name: 'Answered questions' }).isVisible()).resolves.toBe(true);
        await expect(page.getByRole('heading', { name: 'Poll results' }).isVisible()).resolves.toBe(true);
        await expect(page.locator('.results').getAttribute('data-voters')).resolves.toBe('1');
        expect(await axeViolations(page), `at ${viewport.width} px`).toEqual([]);
        // Nothing wider than the screen.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      });
    }
  });

  it('says the replay will appear when an ended event has no recording yet (axe clean)', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      await inContext(browser, { viewport }, async (page) => {
        await page.goto(`${t.url}/events/${pendingSlug}`);
        await expect(page.getByText('The replay will appear here').isVisible()).resolves.toBe(true);
        await expect(page.locator('video').count()).resolves.toBe(0);
        expect(await axeViolations(page), `at ${viewport.width} px`).toEqual([]);
      });
    }
  });
});
