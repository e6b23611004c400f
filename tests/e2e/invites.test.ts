/**
 * Invite links end to end, through the pages only, in a real Chromium against the real app with the
 * demo loaded: an organizer creates a speaker invite; a second browser context opens the link, keeps
 * the prefilled name and lands on the event as a speaker; the organizer sees who used it and revokes
 * it; the link then shows a clear "revoked" page with status 410. A tampered link is "not valid" (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { inContext, poll } from '../support/e2e.ts';

const SLUG = 'living-lab-4-learning-on-weak-networks';
const TITLE = 'Panel #4 – Learning Ecosystems on Weak Networks';
const SPEAKER = 'Karim Saab';
const EMAIL = 'invites-organizer@example.org';
const PASSWORD = 'correct horse battery staple';

let t: TestApp;
let browser: Browser;
let eventId: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  await t.app.auth.organizers.create(EMAIL, 'Olu Organizer', PASSWORD);
  eventId = ((await (await fetch(`${t.url}/api/events/${SLUG}`)).json()) as { id: string }).id;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Context options signed in as the organizer (the sign-in sets the session cookie on the context). */
const asOrganizer = () => ({ signIn: { url: t.url, email: EMAIL, password: PASSWORD } });

/** Fills and submits the invite form on the organizer's page; returns the link shown once. */
async function createSpeakerInvite(page: Page, speaker: string): Promise<string> {
  const res = await page.goto(`${t.url}/admin/events/${eventId}/invites`);
  expect(res?.status()).toBe(200);
  await page.getByRole('radio', { name: 'Speaker' }).check();
  await page.getByRole('combobox', { name: /Speaker from the catalogue/ }).selectOption({ label: speaker });
  await page.getByRole('combobox', { name: 'The link works for' }).selectOption({ label: '3 days' });
  await page.getByRole('button', { name: 'Create link' }).click();
  await page.getByRole('heading', { name: 'New speaker invite link' }).waitFor();
  const link = await page.getByRole('textbox', { name: 'Invite link' }).inputValue();
  expect(link).toMatch(new RegExp(`^${t.url}/invite/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
  return link;
}

/** The organizer's table row for the invite made for `name`. */
const inviteRow = (page: Page, name: string) =>
  page
    .getByRole('region', { name: /Links for this event/ })
    .getByRole('row')
    .filter({ hasText: name });

describe('speaker invite links in Chromium', () => {
  it('an organizer creates a speaker invite; a second browser redeems it and lands on the event as a speaker; after revocation the link shows a clear error', async () => {
    // The organizer's browser, and a second one for the guest.
    await inContext(browser, asOrganizer(), async (adminPage) => {
      await inContext(browser, {}, async (page, guest) => {
        // The organizer creates the invite through the form and reads the link from the page.
        const link = await createSpeakerInvite(adminPage, SPEAKER);
        await adminPage.getByText('This link is shown only once.').waitFor();
        const row = inviteRow(adminPage, SPEAKER);
        await row.getByText('Active').waitFor();
        await row.getByText('Not used yet').waitFor();

        // The second browser opens the link: the event, the role and the speaker's name prefilled.
        const opened = await page.goto(link);
        expect(opened?.status()).toBe(200);
        await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
        await page.getByText('You are invited as a speaker.').waitFor();
        const name = page.getByRole('textbox', { name: 'Your name' });
        await expect(name.inputValue()).resolves.toBe(SPEAKER);

        // Keeps the name, accepts, lands on the event page as a speaker.
        await page.getByRole('button', { name: 'Accept and join as speaker' }).click();
        await page.waitForURL(`${t.url}/events/${SLUG}`);
        await page.getByText('You are a speaker for this event').waitFor();
        await page.getByText(`as ${SPEAKER}`).waitFor();
        const role = await guest.request.get(`${t.url}/api/events/${SLUG}/role`);
        expect(await role.json()).toEqual({ role: 'speaker', displayName: SPEAKER });

        // The organizer's table shows who used the link, and when.
        await adminPage.reload();
        const used = inviteRow(adminPage, SPEAKER).getByRole('cell').nth(2);
        await poll(() => used.textContent()).toMatch(new RegExp(`${SPEAKER}.*\\d{2}:\\d{2}`, 's'));
        expect(await used.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);

        // The organizer revokes it through the page.
        await inviteRow(adminPage, SPEAKER)
          .getByRole('button', { name: new RegExp(`^Revoke the speaker link for ${SPEAKER}`) })
          .click();
        await expect(
          adminPage.getByRole('status').filter({ hasText: 'Revoked the link' }).textContent(),
        ).resolves.toMatch(/Everyone who joined with it has lost that role/);
        await inviteRow(adminPage, SPEAKER).getByText('Revoked', { exact: true }).waitFor();
        await expect(inviteRow(adminPage, SPEAKER).getByRole('button').count()).resolves.toBe(0);

        // The second browser reopens the link: a clear error, with 410 Gone.
        const reopened = await page.goto(link);
        expect(reopened?.status()).toBe(410);
        await expect
          .poll(() => page.getByRole('heading', { level: 1 }).textContent())
          .toBe('This invite link has been revoked');
        await page.getByText('Ask the organizer for a new one.').first().waitFor();
        await expect(page.getByRole('button', { name: /Accept/ }).count()).resolves.toBe(0);

        // Revoking also took the speaker role away: the event page offers joining again.
        await page.goto(`${t.url}/events/${SLUG}`);
        await expect(page.getByText('You are a speaker for this event').count()).resolves.toBe(0);
        await page.getByRole('link', { name: 'Join this event' }).waitFor();
      });
    });
  });

  it('a tampered link shows the "not valid" page with 404, and nothing to accept', async () => {
    const link = await inContext(browser, asOrganizer(), (adminPage) =>
      createSpeakerInvite(adminPage, 'Nadia Bensaïd'),
    );
    await inContext(browser, {}, async (page) => {
      const last = link.at(-1) === 'A' ? 'B' : 'A';
      for (const tampered of [link.slice(0, -1) + last, `${t.url}/invite/not-a-real-invite`]) {
        const res = await page.goto(tampered);
        expect(res?.status()).toBe(404);
        await expect
          .poll(() => page.getByRole('heading', { level: 1 }).textContent())
          .toBe('This invite link is not valid');
        await page.getByText('Ask the organizer for a new one.').first().waitFor();
        await expect(page.getByRole('textbox').count()).resolves.toBe(0);
      }
      // The real link still works.
      expect((await page.goto(link))?.status()).toBe(200);
    });
  });

  it('sends a visitor who is not an organizer from the invite admin page to sign in, with the way back in next=', async () => {
    await inContext(browser, {}, async (page) => {
      await page.goto(`${t.url}/admin/events/${eventId}/invites`);
      const url = new URL(page.url());
      expect(url.pathname).toBe('/login');
      expect(url.searchParams.get('next')).toBe(`/admin/events/${eventId}/invites`);
    });
  });
});
