/**
 * Setup for the join browser tests: the three demo events (open, registration, passcode) and
 * their ids, the organizer who manages them, setting an event's access through the organizer's
 * audience page, organizer API calls from a signed-in context, and a browser's role in an event.
 */
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from './app.ts';
import { inContext } from './e2e.ts';

export const OPEN = 'living-lab-4-learning-on-weak-networks';
export const REGISTRATION = 'all-in-measuring-leadership-impact';
export const PASSCODE = 'scaling-with-quality';
export const SECRET = 'doha-2026';
export const EMAIL = 'join-organizer@example.org';
export const PASSWORD = 'correct horse battery staple';

/** The three demo events, by slug. */
export type JoinEvent = typeof OPEN | typeof REGISTRATION | typeof PASSCODE;

/** The organizer's sign-in, for `inContext(browser, { signIn: asOrganizer(t) }, …)`. */
export const asOrganizer = (t: TestApp) => ({ url: t.url, email: EMAIL, password: PASSWORD });

/**
 * Creates the organizer and returns the demo events' ids by slug. Any test may run alone: the
 * registration event is in registration mode from the start (its test sets it again through the
 * page). The passcode event gets its passcode in its own test.
 */
export async function prepareJoinEvents(t: TestApp, browser: Browser): Promise<Record<JoinEvent, string>> {
  await t.app.auth.organizers.create(EMAIL, 'Olu Organizer', PASSWORD);
  const ids = {} as Record<JoinEvent, string>;
  for (const slug of [OPEN, REGISTRATION, PASSCODE] as const) {
    ids[slug] = ((await (await fetch(`${t.url}/api/events/${slug}`)).json()) as { id: string }).id;
  }
  await inContext(browser, { signIn: asOrganizer(t) }, (_page, context) =>
    adminCall(t, context, 'put', `/api/admin/events/${ids[REGISTRATION]}/access`, { mode: 'registration' }),
  );
  return ids;
}

/** Sets an event's access through the organizer's audience page (`passcode` typed when given). */
export async function setAccessThroughPage(t: TestApp, page: Page, eventId: string, mode: RegExp, passcode?: string) {
  await page.goto(`${t.url}/admin/events/${eventId}/audience`);
  await page.getByRole('radio', { name: mode }).check();
  if (passcode !== undefined) await page.getByRole('textbox', { name: /^Passcode/ }).fill(passcode);
  await page.getByRole('button', { name: 'Save access' }).click();
}

/** An organizer API call from a signed-in context (setup for pages under test). */
export async function adminCall(
  t: TestApp,
  context: BrowserContext,
  method: 'post' | 'put',
  path: string,
  data?: object,
) {
  const res = await context.request[method](`${t.url}${path}`, data ? { data } : {});
  expect(res.ok()).toBe(true);
  return res.json() as Promise<unknown>;
}

/** The browser's role in the event, as the API tells it. */
export async function roleIn(t: TestApp, context: BrowserContext, slug: string) {
  return (await context.request.get(`${t.url}/api/events/${slug}/role`)).json() as Promise<{
    role: string;
    displayName: string | null;
  }>;
}
