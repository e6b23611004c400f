/**
 * The search page and the organizer's transcript page in Chromium, with the demo loaded: a
 * phrase said in a past panel is found (without JavaScript too), its result links to the moment
 * (`?t=`), snippets mark the matched words, filters narrow the results, empty and no-result
 * states read well, and axe finds nothing at 1280 and 390 px. An organizer uploads a transcript
 * (a bad file is refused with its line), corrects a cue and sees the history.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { inContext, poll, VIEWPORTS } from '../support/e2e.ts';

const EMAIL = 'transcripts-organizer@example.org';
const PASSWORD = 'correct horse battery';
let t: TestApp;
let browser: Browser;
let slug: string;
let eventId: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  await t.app.auth.organizers.create(EMAIL, 'Tess Transcripts', PASSWORD);
  const past = (await t.app.catalogue.store.events.all()).find((e) => e.status === 'ended')!;
  slug = past.slug;
  eventId = past.id;
  await t.app.search.ready();
  await t.app.transcripts.replace(
    eventId,
    [
      { start: 3, end: 7, text: 'Welcome to this Living Lab panel.' },
      { start: 754.2, end: 760, text: 'Students on weak networks still learn with radio lessons and text messages.' },
      { start: 761, end: 766, text: 'Thank you all for listening.' },
    ],
    { source: 'pocketsphinx' },
  );
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('search page', () => {
  it('finds a phrase said in a past panel and links to the moment it was said', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      // Typed only once the page has hydrated: hydration would otherwise put the server's empty value back.
      await page.goto(`${t.url}/search`, { waitUntil: 'networkidle' });
      await page.getByLabel('Words to find').fill('radio lessons');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/search\?(.*&)?q=radio\+lessons/);
      const hit = page.locator('.hit').filter({ hasText: 'weak networks still learn' });
      await expect(hit.locator('mark').allTextContents()).resolves.toEqual(['radio', 'lessons']);
      const moment = hit.getByRole('link', { name: /^at 12:34/ });
      expect(await moment.getAttribute('href')).toBe(`/events/${slug}?t=754`);
      await moment.click();
      await page.waitForURL(`${t.url}/events/${slug}?t=754`);
      expect(new URL(page.url()).searchParams.get('t')).toBe('754');
    });
  });

  it('works without JavaScript, with filters kept in the form', async () => {
    await inContext(browser, { viewport: VIEWPORTS.phone, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${t.url}/search`);
      await page.getByLabel('Words to find').fill('learn');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=learn/);
      const all = await page.locator('.hit').count();
      expect(all).toBeGreaterThan(0);
      const years = await page.getByLabel('Year').locator('option').allTextContents();
      expect(years[0]).toBe('Any year');
      // A year with none of these words: the no-result state, and the chosen year stays selected.
      await page.goto(`${t.url}/search?q=radio+lessons&year=1999`);
      await expect(page.getByRole('heading', { name: 'No results' }).isVisible()).resolves.toBe(true);
      await expect(page.getByText(/with these filters/).isVisible()).resolves.toBe(true);
    });
  });

  it('shows clear empty, no-result and refused-query states', async () => {
    await inContext(browser, { viewport: VIEWPORTS.desktop }, async (page) => {
      await page.goto(`${t.url}/search`);
      await expect(page.getByText('Type a few words above').isVisible()).resolves.toBe(true);
      await page.goto(`${t.url}/search?q=${encodeURIComponent('NEAR(quux* "zzyzx") ^xyzzy')}`);
      await expect(page.getByRole('heading', { name: 'No results' }).isVisible()).resolves.toBe(true);
      await page.goto(`${t.url}/search?q=${'x'.repeat(10_000)}`);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('200 characters or fewer');
    });
  });

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`has no axe violations at ${viewport.width} px (results, no results, empty)`, async () => {
      await inContext(browser, { viewport }, async (page) => {
        for (const query of ['?q=radio+lessons', '?q=zzyzx', '']) {
          await page.goto(`${t.url}/search${query}`);
          expect([name, query, await axeViolations(page)]).toEqual([name, query, []]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
          expect([query, overflow]).toEqual([query, false]);
        }
      });
    });
  }
});

describe('organizer transcript page', () => {
  it('refuses a bad file with its line, replaces with a good one, corrects a cue and shows the history', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'colloquy-vtt-'));
    const bad = path.join(dir, 'bad.vtt');
    const good = path.join(dir, 'panel.srt');
    await fs.writeFile(bad, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:0x.000 --> 00:00:04.000\nbad\n');
    await fs.writeFile(
      good,
      '1\n00:00:05,000 --> 00:00:08,000\nHello from the panel.\n\n2\n00:00:09,000 --> 00:00:12,000\nA sentense with a typo.\n',
    );
    try {
      await inContext(
        browser,
        { viewport: VIEWPORTS.phone, signIn: { url: t.url, email: EMAIL, password: PASSWORD } },
        async (page) => {
          await page.goto(`${t.url}/admin/events/${eventId}/transcript`);
          await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Transcript');
          await page.getByLabel('Transcript file').setInputFiles(bad);
          await page.getByRole('button', { name: 'Upload and replace' }).click();
          await poll(() => page.getByRole('list', { name: 'Problems in the file' }).textContent()).toContain('Line 6:');
          await expect(page.locator('.cues li').count()).resolves.toBe(3); // nothing replaced

          await page.getByLabel('Transcript file').setInputFiles(good);
          await page.getByRole('button', { name: 'Upload and replace' }).click();
          await poll(() => page.getByRole('status').first().textContent()).toContain('2 cues');
          await poll(() => page.locator('.cues li').count()).toBe(2);

          await page.getByRole('link', { name: 'Edit the cue at 0:09' }).click();
          const box = page.getByLabel('Text of the cue at 0:09');
          await poll(() => box.isVisible()).toBe(true);
          await box.fill('A sentence without a typo.');
          await page.getByRole('button', { name: 'Save' }).click();
          await poll(() => page.locator('.cues').textContent()).toContain('A sentence without a typo.');
          const history = page.locator('.history li').first();
          await expect(history.textContent()).resolves.toMatch(
            /Tess Transcripts[\s\S]*A sentense with a typo\.[\s\S]*A sentence without a typo\./,
          );
          expect(await axeViolations(page)).toEqual([]);
        },
      );
      const stored = (await t.app.transcripts.get(eventId))!;
      expect(stored.cues.map((c) => c.text)).toEqual(['Hello from the panel.', 'A sentence without a typo.']);
      // Search follows the correction.
      expect(t.app.search.search({ q: 'typo', page: 1 }).hits.map((h) => h.href)).toEqual([`/events/${slug}?t=9`]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
