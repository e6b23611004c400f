/**
 * The organizer's attendance page in Chromium: the peak and current audience, the live session,
 * and each person's join and leave times in the viewer's zone and the event's, from LiveKit
 * webhooks the app received (signed as livekit-server signs them). Checked with axe at both widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { inContext, poll, VIEWPORTS } from '../support/e2e.ts';
import { makeEvent } from '../support/people.ts';
import { formatCompact } from '../../web/src/lib/time.ts';
import { hook, member, ok, postWebhook } from '../integration/stage-support.ts';

const EMAIL = 'attendance-organizer@example.org';
const PASSWORD = 'correct horse battery staple';
const VIEWER_ZONE = 'America/New_York';
const JOINED = Date.parse('2026-03-01T10:15:00Z');
const LEFT = Date.parse('2026-03-01T11:05:00Z');

let t: TestApp;
let browser: Browser;
let eventId: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true }), launchBrowser()]);
  await t.app.auth.organizers.create(EMAIL, 'Olu Organizer', PASSWORD);
  const event = await makeEvent(t, 'attendance-page', 'scheduled');
  eventId = event.id;
  const moderator = await member(t, 'moderator', event);
  await ok(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live' });
  const amina = await member(t, 'audience', event, 'Amina Haddad');
  const bilal = await member(t, 'audience', event, 'Bilal Mensah');
  const speaker = await member(t, 'speaker', event, 'Dr. Karim Saab');
  const at = (identity: string, name: string, ms: number) => ({ eventId, identity, name, at: ms });
  await postWebhook(t, hook('participant_joined', at(amina.userId, 'Amina Haddad', JOINED)));
  await postWebhook(t, hook('participant_joined', at(bilal.userId, 'Bilal Mensah', JOINED + 60_000)));
  await postWebhook(t, hook('participant_joined', at(speaker.userId, 'Dr. Karim Saab', JOINED - 600_000)));
  await postWebhook(t, hook('participant_left', { ...at(amina.userId, 'Amina Haddad', LEFT), at: LEFT }));
  for (const m of [moderator, amina, bilal, speaker]) m.socket.disconnect();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the attendance page', () => {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`shows counts, the live session and join/leave times in both zones (${size})`, async () => {
      await inContext(
        browser,
        { viewport, timezoneId: VIEWER_ZONE, signIn: { url: t.url, email: EMAIL, password: PASSWORD } },
        async (page) => {
          const res = await page.goto(`${t.url}/admin/events/${eventId}/attendance`);
          expect(res?.status()).toBe(200);
          await page.getByRole('heading', { level: 1, name: 'Attendance' }).waitFor();
          const figure = (label: string) => page.locator('dt', { hasText: label }).locator('+ dd').textContent();
          expect(await figure('Peak audience')).toBe('2');
          expect(await figure('Watching now')).toBe('1');

          const row = page.getByRole('row').filter({ hasText: 'Amina Haddad' });
          await expect(row.getByRole('cell').first().textContent()).resolves.toBe('Audience');
          // The viewer's zone once the page has hydrated (the browser reports New York), and the event's.
          await poll(() => row.textContent()).toContain(formatCompact(new Date(JOINED).toISOString(), VIEWER_ZONE));
          const text = (await row.textContent())!;
          expect(text).toContain(formatCompact(new Date(LEFT).toISOString(), VIEWER_ZONE));
          expect(text).toContain(`${formatCompact(new Date(JOINED).toISOString(), 'Africa/Nairobi')} event time`);
          expect(await page.getByRole('row').filter({ hasText: 'Bilal Mensah' }).textContent()).toContain('still here');
          expect(await page.getByRole('row').filter({ hasText: 'Dr. Karim Saab' }).textContent()).toContain('Speaker');
          await page.getByText('still live').waitFor();

          // The tab is reachable from the other event admin pages.
          await page
            .getByRole('navigation', { name: 'Event administration' })
            .getByRole('link', { name: 'Attendance' })
            .waitFor();
          expect(await axeViolations(page)).toEqual([]);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(0);
        },
      );
    });
  }

  it('sends someone who is not an organizer to sign in', async () => {
    await inContext(browser, {}, async (page) => {
      await page.goto(`${t.url}/admin/events/${eventId}/attendance`);
      expect(new URL(page.url()).pathname).toBe('/login');
    });
  });
});
