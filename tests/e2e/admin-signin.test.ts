/**
 * Signing in to the organizer pages, in a real Chromium against the real app (demo loaded): the
 * login form, "next", wrong passwords and the rate limit; who may enter /admin; changing the
 * password on /account; and signing in and creating a series and an event without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/app.ts';
import { inContext, poll } from '../support/e2e.ts';
import {
  makeOrganizer,
  ORGANIZER_BROWSER,
  PASSWORD,
  posted,
  sessionCookie,
  signedInAs,
  signInWithForm,
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

beforeAll(async () => {
  started = await startOrganizerApp();
  ({ t, browser, organizer } = started);
});

afterAll(() => stopOrganizerApp(started));

describe('signing in', () => {
  it('an organizer signs in through the form, lands on /admin, and logs out from the header', async () => {
    await inContext(browser, ORGANIZER_BROWSER, async (page) => {
      await page.goto(t.url + '/');
      const header = page.getByRole('banner');
      await header.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(/\/login$/);
      await page.waitForLoadState('networkidle');
      await signInWithForm(page, organizer.email, PASSWORD);
      await page.waitForURL(/\/admin$/);
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
      expect(await header.getByRole('link', { name: 'Admin' }).isVisible()).toBe(true);
      expect(await header.getByRole('link', { name: 'Sign in' }).count()).toBe(0);

      await header.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login\?signedout=1$/);
      expect(await page.getByRole('status').textContent()).toContain('You have signed out.');
      expect(await header.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
      await page.goto(t.url + '/admin');
      await page.waitForURL(/\/login\?next=%2Fadmin$/);
    });
  });

  it('returns to the page asked for ("next") after signing in', async () => {
    await inContext(browser, ORGANIZER_BROWSER, async (page) => {
      await page.goto(t.url + '/admin/series');
      await page.waitForURL(/\/login\?next=%2Fadmin%2Fseries$/);
      await page.waitForLoadState('networkidle');
      await signInWithForm(page, organizer.email, PASSWORD);
      await page.waitForURL(/\/admin\/series$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Series');
    });
  });

  it('a wrong password shows the error; the eleventh wrong attempt shows the rate-limit message', async () => {
    const target = await makeOrganizer(t, 'limited');
    await inContext(browser, ORGANIZER_BROWSER, async (page) => {
      await page.goto(t.url + '/login');
      await page.waitForLoadState('networkidle');
      for (let attempt = 1; attempt <= 10; attempt++) {
        const response = posted(page);
        await signInWithForm(page, target.email, `wrong password ${attempt}`);
        expect((await response).status()).toBe(401);
        const summary = page.getByRole('alert');
        await poll(() => summary.textContent()).toContain('The email address or password is wrong');
        // The summary takes focus, and the field says what is wrong with it.
        await poll(() => page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
        const password = page.getByLabel('Password');
        expect(await password.getAttribute('aria-invalid')).toBe('true');
        expect(await password.getAttribute('aria-describedby')).toBe('password-error');
        expect(await page.locator('#password-error').textContent()).toContain('The email address or password is wrong');
        // What was typed stays, except the password.
        expect(await page.getByLabel('Email address').inputValue()).toBe(target.email);
        expect(await password.inputValue()).toBe('');
      }
      // Even the right password is refused now: the account is locked for a minute.
      const response = posted(page);
      await signInWithForm(page, target.email, PASSWORD);
      expect((await response).status()).toBe(429);
      await poll(() => page.getByRole('alert').textContent()).toMatch(/Too many attempts, try again in \d+ seconds?\./);
      expect(page.url()).toMatch(/\/login$/);
    });
  });
});

describe('who may enter', () => {
  it('sends anonymous visitors and guests to /login; the API refuses them too', async () => {
    await inContext(browser, ORGANIZER_BROWSER, async (page) => {
      await page.goto(t.url + '/admin/events/new');
      expect(page.url()).toBe(`${t.url}/login?next=%2Fadmin%2Fevents%2Fnew`);
      await page.goto(t.url + '/account');
      expect(page.url()).toBe(`${t.url}/login?next=%2Faccount`);
    });
    const guest = await sessionCookie(t, null, 'guest');
    await inContext(browser, { ...ORGANIZER_BROWSER, cookies: [guest] }, async (page) => {
      await page.goto(t.url + '/admin');
      expect(page.url()).toBe(`${t.url}/login?next=%2Fadmin`);
      expect(await page.getByRole('banner').getByRole('link', { name: 'Admin' }).count()).toBe(0);
    });
    expect((await api(t, 'get', '/api/admin/events')).status).toBe(401);
    expect((await api(t, 'get', '/api/admin/events', { cookie: `${guest.name}=${guest.value}` })).status).toBe(403);
  });
});

describe('account', () => {
  it('changes the password (a wrong current password is refused) and signs in with the new one', async () => {
    const person = await makeOrganizer(t, 'account');
    await inContext(browser, await signedInAs(t, person.id), async (page) => {
      await page.goto(t.url + '/account');
      await page.waitForLoadState('networkidle');
      await page.getByLabel('Current password').fill('not my password');
      await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
      await page.getByLabel('New password again').fill('a brand new passphrase');
      const refused = posted(page);
      await page.getByRole('button', { name: 'Change password' }).click();
      expect((await refused).status()).toBe(401);
      await poll(() => page.getByRole('alert').textContent()).toContain('Your current password is wrong.');

      await page.getByLabel('Current password').fill(PASSWORD);
      const changed = posted(page);
      await page.getByRole('button', { name: 'Change password' }).click();
      // Enhanced: the action answers with a redirect (as JSON), which the page follows.
      expect((await changed).status()).toBe(200);
      await page.waitForURL(/\/account\?changed=1$/);
      await poll(() => page.getByRole('status').textContent()).toContain('Your password is changed.');

      await page.getByRole('button', { name: 'Log out everywhere' }).click();
      await page.waitForURL(/\/login\?signedout=all$/);
      expect(await page.getByRole('status').textContent()).toContain('You have signed out on every device.');
      await page.waitForLoadState('networkidle');
      await signInWithForm(page, person.email, 'a brand new passphrase');
      await page.waitForURL(/\/admin$/);
    });
  });
});

describe('without JavaScript', () => {
  it('signs in and creates a series; problems come back with what was typed', async () => {
    await inContext(browser, { ...ORGANIZER_BROWSER, javaScriptEnabled: false }, async (page) => {
      await page.goto(t.url + '/login');
      await signInWithForm(page, organizer.email, PASSWORD);
      await page.waitForURL(/\/admin$/);

      await page.goto(t.url + '/admin/series/new');
      await page.getByLabel('Description').fill('Typed without JavaScript.');
      await page.getByRole('button', { name: 'Create series' }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('alert').textContent()).toContain('Title: Enter a title.');
      expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
      expect(await page.getByLabel('Description').inputValue()).toBe('Typed without JavaScript.');

      const title = `No Script Series ${Date.now().toString(36)}`;
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Create series' }).click();
      await page.waitForURL(/\/admin\/series\/[^/?]+\?created=1$/);
      expect(await page.getByRole('status').textContent()).toContain('Series created.');
      // The server made the address from the title, as the browser would have.
      const slug = title.toLowerCase().replace(/ /g, '-');
      expect(await page.getByLabel('Web address').inputValue()).toBe(slug);
      expect((await api(t, 'get', `/api/series/${slug}`)).status).toBe(200);

      // An event: the zone defaults to UTC without JavaScript; the server converts the wall clock.
      await page.goto(t.url + '/admin/events/new');
      expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');
      const eventTitle = `No Script Panel ${Date.now().toString(36)}`;
      await page.getByLabel('Title').fill(eventTitle);
      await page.getByLabel('Time zone').fill('europe/paris');
      await page.getByLabel('Start date').fill('2031-07-01');
      await page.getByLabel('Start time', { exact: true }).fill('09:00');
      await page.getByRole('button', { name: 'Create event' }).click();
      await page.waitForURL(/\/admin\/events\/[^/?]+\?created=1$/);
      expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Paris');
      // The preview is in the server-rendered page.
      const preview = (await page.getByRole('region', { name: 'Start time around the world' }).textContent())!;
      expect(preview.replace(/\s+/g, ' ')).toContain('Tuesday 1 July 2031, 09:00–10:30 (Europe/Paris, GMT+2)');
      expect(preview.replace(/\s+/g, ' ')).toContain('UTC Tue 1 Jul 2031, 07:00');
      const eventSlug = eventTitle.toLowerCase().replace(/ /g, '-');
      const stored = await (await api(t, 'get', `/api/events/${eventSlug}`)).json();
      expect(new Date(stored.startsAt).toISOString()).toBe('2031-07-01T07:00:00.000Z');
      expect(stored.timeZone).toBe('Europe/Paris');
    });
  });
});
