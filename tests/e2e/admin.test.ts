/**
 * The organizer pages in a real Chromium against the real app (demo loaded): signing in and
 * rate limits, axe at desktop and phone widths, creating a series, a speaker and an event with
 * the keyboard only (then editing and deleting it), photo uploads, who may enter /admin, and
 * the forms without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { SESSION_COOKIE } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { api } from '../support/people.ts';

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const PASSWORD = 'correct horse battery';

let t: TestApp;
let browser: Browser;
let organizer: { id: string; email: string };
let demoEventId: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  organizer = await makeOrganizer('organizer');
  demoEventId = (await t.app.catalogue.store.events.all())[0]!.id;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

let organizers = 0;
async function makeOrganizer(name: string, password = PASSWORD) {
  const email = `${name}-${++organizers}-${Date.now()}@example.org`;
  const user = await t.app.auth.organizers.create(email, `Org ${name}`, password);
  return { id: user!.id, email };
}

/** A signed-in session for `userId`, as the login would make it, as a cookie for the browser. */
async function sessionCookie(userId: string | null, kind: 'organizer' | 'guest' = 'organizer') {
  const { token } =
    kind === 'organizer'
      ? await t.app.auth.sessions.create({ userId: userId!, kind, displayName: 'Org' })
      : await t.app.auth.sessions.create({ kind, displayName: 'Guest person' });
  return { name: SESSION_COOKIE, value: token, url: t.url };
}

/** A fresh browser context (signed in as `as` when given); always closed afterwards. */
async function withPage<T>(
  options: BrowserContextOptions & { as?: { name: string; value: string; url: string } },
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { as, ...rest } = options;
  const context = await browser.newContext({
    timezoneId: 'Africa/Nairobi',
    locale: 'en-GB',
    ...rest,
  });
  try {
    if (as) await context.addCookies([as]);
    const page = await context.newPage();
    return await use(page, context);
  } finally {
    await context.close();
  }
}

/** Retries an assertion while the page settles (client navigation after a form post). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

/** Waits for a form post to the current page to come back (enhanced or not). */
function posted(page: Page) {
  return page.waitForResponse((r) => r.request().method() === 'POST');
}

async function signInWithForm(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in', () => {
  it('an organizer signs in through the form, lands on /admin, and logs out from the header', async () => {
    await withPage({}, async (page) => {
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
    await withPage({}, async (page) => {
      await page.goto(t.url + '/admin/series');
      await page.waitForURL(/\/login\?next=%2Fadmin%2Fseries$/);
      await page.waitForLoadState('networkidle');
      await signInWithForm(page, organizer.email, PASSWORD);
      await page.waitForURL(/\/admin\/series$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Series');
    });
  });

  it('a wrong password shows the error; the eleventh wrong attempt shows the rate-limit message', async () => {
    const target = await makeOrganizer('limited');
    await withPage({}, async (page) => {
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
    const as = c.path === '/login' ? undefined : await sessionCookie(organizer.id);
    await withPage({ viewport: c.viewport, ...(as ? { as } : {}) }, async (page) => {
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
    await withPage({ as: await sessionCookie(organizer.id) }, async (page) => {
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

/** The focused element, described for matching. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', id: '', name: '', text: '', href: '', label: '' };
    const input = el as HTMLInputElement;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: input.name ?? '',
      text: (el.textContent ?? '').trim().replace(/\s+/g, ' '),
      href: el.getAttribute('href') ?? '',
      label: (input.labels?.[0]?.textContent ?? '').trim().replace(/\s+/g, ' '),
    };
  });
}

type Focused = Awaited<ReturnType<typeof focused>>;

/** Presses Tab (or Shift+Tab) until `match` holds for the focused element. */
async function tabTo(page: Page, what: string, match: (f: Focused) => boolean, backwards = false) {
  const seen: string[] = [];
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (match(f)) return;
    seen.push(`${f.tag}#${f.id}${f.text ? ` "${f.text.slice(0, 30)}"` : ''}`);
  }
  throw new Error(`Tab never reached ${what}; focus went through ${seen.slice(0, 80).join(', ')}`);
}

const byId = (id: string) => (f: Focused) => f.id === id;
const linkTo = (href: string) => (f: Focused) => f.tag === 'a' && f.href === href;
const button = (text: string) => (f: Focused) => f.tag === 'button' && f.text === text;

/** Replaces the focused field's text by typing. */
async function retype(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

describe('keyboard only', () => {
  it('creates a series, a speaker and an event, which shows on its public page at the right time; edits and deletes it', async () => {
    const n = Date.now().toString(36);
    const seriesTitle = `Keyboard Series ${n}`;
    const speakerName = `Amina Keyboard ${n}`;
    const eventTitle = `Keyboard Panel ${n}`;
    const eventSlug = `keyboard-panel-${n}`;

    await withPage({ as: await sessionCookie(organizer.id) }, async (page) => {
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
      await tabTo(page, 'Speakers', linkTo('/admin/speakers'), true);
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
      await tabTo(page, 'Dashboard', linkTo('/admin'), true);
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
        page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent();
      await poll(async () => (await when('Event time'))?.replace(/\s+/g, ' ')).toContain(
        'Tuesday 4 March 2031, 16:30–18:00 (Asia/Kolkata, GMT+5:30)',
      );
      expect((await when('Your time'))?.replace(/\s+/g, ' ')).toContain(
        'Tuesday 4 March 2031, 14:00–15:30 (Africa/Nairobi, GMT+3)',
      );
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(eventTitle);
      expect(await page.locator('main').textContent()).toContain(speakerName);

      // Edit: start at 17:00 for two hours.
      await tabTo(page, 'Admin', linkTo('/admin'), true);
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
    const cookie = await sessionCookie(organizer.id);
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

    await withPage({ as: cookie }, async (page) => {
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

describe('who may enter', () => {
  it('sends anonymous visitors and guests to /login; the API refuses them too', async () => {
    await withPage({}, async (page) => {
      await page.goto(t.url + '/admin/events/new');
      expect(page.url()).toBe(`${t.url}/login?next=%2Fadmin%2Fevents%2Fnew`);
      await page.goto(t.url + '/account');
      expect(page.url()).toBe(`${t.url}/login?next=%2Faccount`);
    });
    const guest = await sessionCookie(null, 'guest');
    await withPage({ as: guest }, async (page) => {
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
    const person = await makeOrganizer('account');
    await withPage({ as: await sessionCookie(person.id) }, async (page) => {
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
    await withPage({ javaScriptEnabled: false }, async (page) => {
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
