/**
 * Organizers for the admin browser tests: the app (demo loaded) and a browser with one signed-up
 * organizer, more organizers on demand, session cookies made as the login would make them, and
 * signing in through the login form.
 */
import type { Browser, Page } from 'playwright-core';
import { SESSION_COOKIE } from '@colloquy/shared';
import { startTestApp, type TestApp } from './app.ts';
import { launchBrowser } from './browser.ts';
import type { ContextOptions, Cookie } from './e2e.ts';

export const PASSWORD = 'correct horse battery';

/** Context options for organizer pages: a fixed zone (the event form starts in the browser's) and locale. */
export const ORGANIZER_BROWSER = { timezoneId: 'Africa/Nairobi', locale: 'en-GB' };

export interface Organizer {
  id: string;
  email: string;
}

export interface OrganizerApp {
  t: TestApp;
  browser: Browser;
  /** Signed up with PASSWORD. */
  organizer: Organizer;
  /** The first demo event. */
  demoEventId: string;
}

/** Starts the app (web and demo) and a browser, and signs up an organizer; for a file's beforeAll. */
export async function startOrganizerApp(): Promise<OrganizerApp> {
  const [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  try {
    const organizer = await makeOrganizer(t, 'organizer');
    const demoEventId = (await t.app.catalogue.store.events.all())[0]!.id;
    return { t, browser, organizer, demoEventId };
  } catch (e) {
    await stopOrganizerApp({ t, browser });
    throw e;
  }
}

/** Closes what startOrganizerApp started; for a file's afterAll. */
export async function stopOrganizerApp(s: Partial<OrganizerApp> | undefined) {
  await s?.browser?.close();
  await s?.t?.close();
}

let organizers = 0;

/** A new organizer with a unique email. */
export async function makeOrganizer(t: TestApp, name: string, password = PASSWORD): Promise<Organizer> {
  const email = `${name}-${++organizers}-${Date.now()}@example.org`;
  const user = await t.app.auth.organizers.create(email, `Org ${name}`, password);
  return { id: user!.id, email };
}

/** A signed-in session for `userId`, as the login would make it, as a cookie for the browser. */
export async function sessionCookie(
  t: TestApp,
  userId: string | null,
  kind: 'organizer' | 'guest' = 'organizer',
): Promise<Cookie & { name: string; value: string; url: string }> {
  const { token } =
    kind === 'organizer'
      ? await t.app.auth.sessions.create({ userId: userId!, kind, displayName: 'Org' })
      : await t.app.auth.sessions.create({ kind, displayName: 'Guest person' });
  return { name: SESSION_COOKIE, value: token, url: t.url };
}

/** Context options for organizer pages signed in as `userId` (a session cookie, no login form). */
export async function signedInAs(t: TestApp, userId: string): Promise<ContextOptions> {
  return { ...ORGANIZER_BROWSER, cookies: [await sessionCookie(t, userId)] };
}

/** Waits for a form post to the current page to come back (enhanced or not). */
export function posted(page: Page) {
  return page.waitForResponse((r) => r.request().method() === 'POST');
}

export async function signInWithForm(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
