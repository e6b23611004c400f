/**
 * The audience join page, in a real Chromium against the real app with the demo loaded, in each
 * access mode: open (with the calendar file), registration (consent, a personal link for another
 * browser, the organizer's registrations list and CSV download) and passcode (set on the
 * organizer's audience page).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { inContext, poll } from '../support/e2e.ts';
import {
  asOrganizer,
  type JoinEvent,
  OPEN,
  PASSCODE,
  prepareJoinEvents,
  REGISTRATION,
  roleIn,
  SECRET,
  setAccessThroughPage,
} from '../support/join.ts';

let t: TestApp;
let browser: Browser;
let ids: Record<JoinEvent, string>;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  ids = await prepareJoinEvents(t, browser);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('audience join page', () => {
  it('open event: a fresh browser joins from the event page with a name, gets the calendar file, and the event page knows it', async () => {
    await inContext(browser, {}, async (page, context) => {
      await page.goto(`${t.url}/events/${OPEN}`);
      await page.getByRole('link', { name: 'Join this event' }).click();
      await page.waitForURL(`${t.url}/events/${OPEN}/join`);
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Join this event');
      // Open mode asks only for a name.
      await expect(page.getByRole('textbox').count()).resolves.toBe(1);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Amina Yusuf');
      await page.getByRole('button', { name: 'Join the event' }).click();

      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      const calendar = page.getByRole('link', { name: /Download calendar file/ });
      expect(await calendar.getAttribute('href')).toBe(`${t.url}/events/${OPEN}/calendar.ics`);
      const ics = await context.request.get((await calendar.getAttribute('href'))!);
      expect(ics.headers()['content-type']).toMatch(/text\/calendar/);
      await expect(page.getByText('Keep your personal join link').count()).resolves.toBe(0);
      expect(await roleIn(t, context, OPEN)).toEqual({ role: 'audience', displayName: 'Amina Yusuf' });

      await page.goto(`${t.url}/events/${OPEN}`);
      await poll(() => page.getByText('You have joined this event').textContent()).toBeTruthy();
      await page.getByText('as Amina Yusuf').waitFor();
      await expect(page.getByRole('link', { name: 'Join this event' }).count()).resolves.toBe(0);
    });
  });

  it('registration: consent is required; then a personal link joins a third browser (with a click, not on opening it); the organizer lists the registration and its CSV has it', async () => {
    await inContext(browser, { signIn: asOrganizer(t) }, async (admin) => {
      await setAccessThroughPage(t, admin, ids[REGISTRATION], /^Registration/);
      await poll(() => admin.getByRole('status').textContent()).toMatch(/Saved.*Registration/);
    });

    const personalLink = await inContext(browser, {}, async (page, context) => {
      await page.goto(`${t.url}/events/${REGISTRATION}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Kwabena Mensah');
      await page.getByRole('textbox', { name: 'Email address' }).fill('Kwabena@Example.org');
      await page.getByRole('textbox', { name: /School or organization/ }).fill('Accra Leaders Network');
      await page.getByRole('combobox', { name: /Country/ }).selectOption({ label: 'Ghana' });
      await page.getByRole('button', { name: 'Register and join' }).click();

      // Without consent: the error next to the box and in the summary; what was typed is kept.
      const summary = page.getByRole('alert');
      await poll(() => summary.textContent()).toMatch(/Tick the box to agree/);
      const consent = page.getByRole('checkbox', { name: /I agree that the organizers/ });
      expect(await consent.getAttribute('aria-invalid')).toBe('true');
      const described = (await consent.getAttribute('aria-describedby')) ?? '';
      expect(described).toContain('join-consent-error');
      await poll(() => page.locator('#join-consent-error').textContent()).toMatch(/Tick the box to agree/);
      await expect(page.getByRole('textbox', { name: 'Your name' }).inputValue()).resolves.toBe('Kwabena Mensah');
      await expect(page.getByRole('combobox', { name: /Country/ }).inputValue()).resolves.toBe('GH');
      expect(await roleIn(t, context, REGISTRATION)).toEqual({ role: 'visitor', displayName: null });

      await consent.check();
      await page.getByRole('button', { name: 'Register and join' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      const link = await page.getByRole('textbox', { name: 'Your personal join link' }).inputValue();
      expect(link).toMatch(new RegExp(`^${t.url}/events/${REGISTRATION}/join\\?t=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
      expect((await roleIn(t, context, REGISTRATION)).role).toBe('audience');
      return link;
    });

    await inContext(browser, {}, async (page, context) => {
      await page.goto(personalLink);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Join with your personal link');
      // Opening the link changes nothing: joining is a POST.
      expect(await roleIn(t, context, REGISTRATION)).toEqual({ role: 'visitor', displayName: null });
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Kwabena Mensah' });

      // A link with a wrong token says so, and offers the registration form instead.
      await page.goto(personalLink.slice(0, -2) + (personalLink.endsWith('AA') ? 'BB' : 'AA'));
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/not valid for this event/);
      await page.getByRole('button', { name: 'Register and join' }).waitFor();
    });

    await inContext(browser, { signIn: asOrganizer(t) }, async (page) => {
      await page.goto(`${t.url}/admin/events/${ids[REGISTRATION]}/audience`);
      await poll(() => page.getByRole('heading', { name: /^Registrations/ }).textContent()).toMatch(/\(1\)/);
      const row = page.getByRole('row').filter({ hasText: 'Kwabena Mensah' });
      await poll(() => row.textContent()).toMatch(/kwabena@example\.org.*Accra Leaders Network.*Ghana/s);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /Download CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${REGISTRATION}-registrations.csv`);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv.split('\n')[0]).toBe('name,email,organization,country,registered_at,consent_at');
      expect(csv).toMatch(/Kwabena Mensah,kwabena@example\.org,Accra Leaders Network,GH,\d{4}-/);
    });
  });

  it('passcode: the organizer must give one; a wrong passcode is refused at the field, the right one joins', async () => {
    await inContext(browser, { signIn: asOrganizer(t) }, async (admin) => {
      await setAccessThroughPage(t, admin, ids[PASSCODE], /^Passcode/);
      await poll(() => admin.getByRole('alert').textContent()).toMatch(/Enter a passcode for this event/);
      await setAccessThroughPage(t, admin, ids[PASSCODE], /^Passcode/, SECRET);
      await poll(() => admin.getByRole('status').textContent()).toMatch(/Saved.*Passcode/);
    });

    await inContext(browser, {}, async (page, context) => {
      await page.goto(`${t.url}/events/${PASSCODE}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Nour Haddad');
      await page.getByRole('textbox', { name: 'Passcode' }).fill('not-it');
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/passcode is not right/);
      await poll(() => page.locator('#join-passcode-error').textContent()).toMatch(/passcode is not right/);
      await expect(page.getByRole('textbox', { name: 'Your name' }).inputValue()).resolves.toBe('Nour Haddad');
      expect((await roleIn(t, context, PASSCODE)).role).toBe('visitor');

      await page.getByRole('textbox', { name: 'Passcode' }).fill(SECRET);
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, PASSCODE)).toEqual({ role: 'audience', displayName: 'Nour Haddad' });
    });
  });
});
