/**
 * The organizer forms, in a real Chromium against the real app (demo loaded): axe and overflow at
 * desktop and phone widths (and a form with problems); creating a series, a speaker and an event
 * with the keyboard only, then editing and deleting the event; and speaker photo uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import type { TestApp } from '../support/app.ts';
import { axeViolations } from '../support/browser.ts';
import { button, byId, focused, inContext, linkTo, poll, retype, tabTo, VIEWPORTS } from '../support/e2e.ts';
import {
  ORGANIZER_BROWSER,
  posted,
  sessionCookie,
  signedInAs,
  startOrganizerApp,
  stopOrganizerApp,
  type Organizer,
  type OrganizerApp,
} from '../support/organizers.ts';
import { api } from '../support/people.ts';

let started: OrganizerApp | undefined;
let t: TestApp;
let browser: Browser;
let organizer: Organizer;
let demoEventId: string;

beforeAll(async () => {
  started = await startOrganizerApp();
  ({ t, browser, organizer, demoEventId } = started);
});

afterAll(() => stopOrganizerApp(started));

describe('accessibility', () => {
  const PAGES = [
    '/login',
    '/account',
    '/admin',
    '/admin/events/new',
    '/admin/events/{demo}',
    '/admin/series/new',
    '/admin/speakers/new',
  ];
  const cases = PAGES.flatMap((path) =>
    Object.entries(VIEWPORTS).map(([size, viewport]) => ({ path, size, viewport })),
  );

  it.each(cases)('$path at $size width: no axe violations, nothing wider than the screen', async (c) => {
    const options = c.path === '/login' ? ORGANIZER_BROWSER : await signedInAs(t, organizer.id);
    await inContext(browser, { ...options, viewport: c.viewport }, async (page) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const response = await page.goto(t.url + c.path.replace('{demo}', demoEventId));
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(c.path.replace('{demo}', demoEventId));
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    });
  });

  it('a form with problems stays axe-clean, and its fields are labelled and described', async () => {
    await inContext(browser, await signedInAs(t, organizer.id), async (page) => {
      await page.goto(t.url + '/admin/events/new');
      await page.waitForLoadState('networkidle');
      await page.getByLabel('Description').fill('Typed before the problem');
      const response = posted(page);
      await page.getByRole('button', { name: 'Create event' }).click();
      expect((await response).status()).toBe(400);
      const summary = page.getByRole('alert');
      await poll(() => summary.textContent()).toContain('Title: Enter a title.');
      expect(await summary.textContent()).toContain('Start date: Enter the date the event starts.');
      expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Description').inputValue()).toBe('Typed before the problem');
      expect(await axeViolations(page)).toEqual([]);
    });
  });
});

describe('keyboard only', () => {
  it('creates a series, a speaker and an event, which shows on its public page at the right time; edits and deletes it', async () => {
    const n = Date.now().toString(36);
    const seriesTitle = `Keyboard Series ${n}`;
    const speakerName = `Amina Keyboard ${n}`;
    const eventTitle = `Keyboard Panel ${n}`;
    const eventSlug = `keyboard-panel-${n}`;

    await inContext(browser, await signedInAs(t, organizer.id), async (page) => {
      // Uncaught errors and Svelte's console warnings fail the test too.
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      await page.goto(t.url + '/admin');
      await page.waitForLoadState('networkidle');

      // A series.
      await tabTo(page, 'New series', linkTo('/admin/series/new'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/series\/new$/);
      await tabTo(page, 'the title', byId('title'));
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
      await page.keyboard.type(seriesTitle);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ id: 'slug' });
      expect(await page.locator('#slug').inputValue()).toBe(`keyboard-series-${n}`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Panels planned **without a mouse**.');
      await tabTo(page, 'Create series', button('Create series'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/series\/[^/]+\?created=1$/);
      await poll(() => page.getByRole('status').textContent()).toContain('Series created.');

      // A speaker, from the organizer navigation.
      await tabTo(page, 'Speakers', linkTo('/admin/speakers'), { backwards: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/speakers$/);
      await tabTo(page, 'New speaker', linkTo('/admin/speakers/new'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/speakers\/new$/);
      await tabTo(page, 'the name', byId('name'));
      await page.keyboard.type(speakerName);
      await tabTo(page, 'the job title', byId('title'));
      await page.keyboard.type('Head of Research');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Nairobi Learning Lab');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ id: 'country' });
      await page.keyboard.type('Kenya');
      expect(await page.locator('#country').inputValue()).toBe('KE');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Runs school leadership labs across East Africa.');
      await tabTo(page, 'Create speaker', button('Create speaker'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/speakers\/[^/]+\?created=1$/);
      await poll(() => page.getByRole('status').textContent()).toContain('Speaker created.');

      // The event: 16:30 on Tuesday 4 March 2031 in Kolkata (11:00 UTC), for 1 h 30.
      await tabTo(page, 'Dashboard', linkTo('/admin'), { backwards: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin$/);
      await tabTo(page, 'New event', linkTo('/admin/events/new'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/events\/new$/);
      await page.waitForLoadState('networkidle');
      await tabTo(page, 'the title', byId('title'));
      await page.keyboard.type(eventTitle);
      await page.keyboard.press('Tab');
      expect(await page.locator('#slug').inputValue()).toBe(eventSlug);
      await page.keyboard.press('Tab');
      await page.keyboard.type('A panel on **weak networks**, planned with the keyboard.');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ id: 'timeZone' });
      // With JavaScript the zone starts as the browser's own.
      expect(await page.locator('#timeZone').inputValue()).toBe('Africa/Nairobi');
      await retype(page, 'Asia/Kolkata');
      await tabTo(page, 'the start date', byId('startDate'));
      // Chromium's date field takes month, day, year here (its own locale, not the page's).
      await page.keyboard.type('03042031');
      await tabTo(page, 'the start time', byId('startTime'));
      await page.keyboard.type('1630');
      expect(await page.locator('#startDate').inputValue()).toBe('2031-03-04');
      expect(await page.locator('#startTime').inputValue()).toBe('16:30');

      // The preview follows what was typed.
      const preview = page.getByRole('region', { name: 'Start time around the world' });
      await poll(() => preview.textContent()).toContain('Tuesday 4 March 2031, 16:30–18:00 (Asia/Kolkata, GMT+5:30)');
      const previewText = (await preview.textContent())!.replace(/\s+/g, ' ');
      expect(previewText).toContain('UTC Tue 4 Mar 2031, 11:00');
      expect(previewText).toContain('Africa/Nairobi (your zone) Tue 4 Mar 2031, 14:00 GMT+3');
      expect(previewText).toContain('America/New_York Tue 4 Mar 2031, 06:00 GMT-5');
      expect(previewText).toContain('Asia/Beirut Tue 4 Mar 2031, 13:00 GMT+2');
      expect(previewText).toContain('Europe/Paris Tue 4 Mar 2031, 12:00 GMT+1');

      await tabTo(page, 'the series', byId('seriesId'));
      await page.keyboard.type(seriesTitle);
      expect(await page.locator('#seriesId option:checked').textContent()).toBe(seriesTitle);
      await tabTo(
        page,
        speakerName,
        (f) => f.tag === 'input' && f.name === 'speakerIds' && f.label.startsWith(speakerName),
      );
      await page.keyboard.press('Space');
      await tabTo(page, 'Create event', button('Create event'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\/events\/[^/]+\?created=1$/);
      const eventId = new URL(page.url()).pathname.split('/').pop()!;
      await poll(() => page.getByRole('status').textContent()).toContain('Event created.');

      // The API stored the instant in UTC with the zone.
      const stored = await (await api(t, 'get', `/api/events/${eventSlug}`)).json();
      expect(stored).toMatchObject({ title: eventTitle, timeZone: 'Asia/Kolkata', series: { title: seriesTitle } });
      expect(new Date(stored.startsAt).toISOString()).toBe('2031-03-04T11:00:00.000Z');
      expect(new Date(stored.endsAt).toISOString()).toBe('2031-03-04T12:30:00.000Z');
      expect(stored.speakers.map((s: { name: string }) => s.name)).toEqual([speakerName]);

      // Its public page, from the notice's link.
      await tabTo(page, 'the public page', (f) => f.tag === 'a' && f.text === 'See the public page');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/events/${eventSlug}$`));
      const when = (label: string) =>
        page
          .locator('aside[aria-labelledby="when"] dt', { hasText: label })
          .locator('xpath=following-sibling::dd[1]')
          .textContent();
      await poll(async () => (await when('Event time'))?.replace(/\s+/g, ' ')).toContain(
        'Tuesday 4 March 2031, 16:30–18:00 (Asia/Kolkata, GMT+5:30)',
      );
      expect((await when('Your time'))?.replace(/\s+/g, ' ')).toContain(
        'Tuesday 4 March 2031, 14:00–15:30 (Africa/Nairobi, GMT+3)',
      );
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(eventTitle);
      expect(await page.locator('main').textContent()).toContain(speakerName);

      // Edit: start at 17:00 for two hours.
      await tabTo(page, 'Admin', linkTo('/admin'), { backwards: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin$/);
      await tabTo(page, eventTitle, (f) => f.tag === 'a' && f.text === eventTitle);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/admin/events/${eventId}$`));
      await page.waitForLoadState('networkidle');
      expect(await page.locator('#timeZone').inputValue()).toBe('Asia/Kolkata');
      expect(await page.locator('#startTime').inputValue()).toBe('16:30');
      await tabTo(page, 'the start time', byId('startTime'));
      await page.keyboard.type('1700');
      await tabTo(page, 'the hours', byId('durationHours'));
      await retype(page, '2');
      await page.keyboard.press('Tab');
      await retype(page, '0');
      await tabTo(page, 'Save changes', button('Save changes'));
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/admin/events/${eventId}\\?saved=1$`));
      await poll(() => page.getByRole('status').textContent()).toContain('Changes saved.');
      expect(await page.locator('#startTime').inputValue()).toBe('17:00');
      expect(await page.locator('#durationHours').inputValue()).toBe('2');
      const edited = await (await api(t, 'get', `/api/events/${eventSlug}`)).json();
      expect(new Date(edited.startsAt).toISOString()).toBe('2031-03-04T11:30:00.000Z');
      expect(new Date(edited.endsAt).toISOString()).toBe('2031-03-04T13:30:00.000Z');

      // "Live" in the form takes the stage live; going back to "Scheduled" is refused at the field.
      const posted = () => page.waitForResponse((r) => r.request().method() === 'POST');
      await page.locator('#status').selectOption('live');
      const live = posted();
      await page.getByRole('button', { name: 'Save changes' }).click();
      expect((await live).status()).toBeLessThan(400);
      await poll(async () => (await (await api(t, 'get', `/api/events/${eventSlug}`)).json()).status).toBe('live');
      // A fresh load, so no navigation from that save is still under way.
      await page.goto(`${t.url}/admin/events/${eventId}`);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('#status').inputValue()).toBe('live');
      await page.locator('#status').selectOption('scheduled');
      const refused = posted();
      await page.getByRole('button', { name: 'Save changes' }).click();
      expect((await refused).status()).toBe(409);
      await poll(() => page.locator('#status-error').textContent()).toContain(
        'The panel is live: its status cannot go back to scheduled',
      );
      expect((await (await api(t, 'get', `/api/events/${eventSlug}`)).json()).status).toBe('live');
      // The refused save answers 409, which the browser reports; nothing else went wrong.
      expect(problems.splice(0)).toEqual([
        'error: Failed to load resource: the server responded with a status of 409 (Conflict)',
      ]);

      // Delete, through the confirmation page.
      await tabTo(page, 'Delete event…', linkTo(`/admin/events/${eventId}/delete`));
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/admin/events/${eventId}/delete$`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Delete “${eventTitle}”?`);
      expect((await api(t, 'get', `/api/events/${eventSlug}`)).status).toBe(200);
      await tabTo(page, 'the confirmation', button('Yes, delete this event'));
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/admin\?deleted=event$/);
      await poll(() => page.getByRole('status').textContent()).toContain('The event was deleted.');
      expect((await api(t, 'get', `/api/events/${eventSlug}`)).status).toBe(404);
      expect(problems).toEqual([]);
    });
  });
});

describe('speaker photos', () => {
  it('uploads a photo through the form and shows it; a file that is not an image gets the 415 message', async () => {
    const cookie = await sessionCookie(t, organizer.id);
    const created = await api(t, 'post', '/api/admin/speakers', {
      cookie: `${cookie.name}=${cookie.value}`,
      body: {
        slug: `photo-person-${Date.now().toString(36)}`,
        name: 'Photo Person',
        title: '',
        organization: '',
        country: 'LB',
        bio: '',
        photoUrl: null,
      },
    });
    expect(created.status).toBe(201);
    const speaker = (await created.json()) as { id: string };
    const png = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 31, g: 58, b: 95 } },
    })
      .png()
      .toBuffer();

    await inContext(browser, { ...ORGANIZER_BROWSER, cookies: [cookie] }, async (page) => {
      await page.goto(`${t.url}/admin/speakers/${speaker.id}`);
      await page.waitForLoadState('networkidle');
      expect(await page.getByText('No photo yet.').isVisible()).toBe(true);
      await page.getByLabel('Add a photo').setInputFiles({ name: 'portrait.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await page.waitForURL(/\?photo=1$/);
      await poll(() => page.getByRole('status').textContent()).toContain('Photo updated.');
      const img = page.getByRole('img', { name: 'Current photo of Photo Person' });
      expect(await img.getAttribute('src')).toMatch(/^\/media\/speakers\/.+\.webp$/);
      await poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(256);

      const response = posted(page);
      await page.getByLabel('Replace the photo').setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('these are meeting notes, not a photo'),
      });
      await page.getByRole('button', { name: 'Upload photo' }).click();
      expect((await response).status()).toBe(415);
      await poll(() => page.getByRole('alert').textContent()).toContain('That file is not an image we accept');
      expect(await page.getByLabel('Replace the photo').getAttribute('aria-invalid')).toBe('true');
      // The photo did not change.
      expect(await img.getAttribute('src')).toMatch(/^\/media\/speakers\/.+\.webp$/);
    });
  });
});
