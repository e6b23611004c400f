/**
 * Joining, in a real Chromium against the real app with the demo loaded: the audience join page in
 * each access mode (open, registration with consent and a personal link, passcode), the organizer's
 * audience page (access form, registrations, CSV download), the invite redeem and open join by
 * keyboard alone, redeem and join without JavaScript, and axe on every page of the flow at desktop
 * and phone widths.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { CreatedInvite } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';

const OPEN = 'living-lab-4-learning-on-weak-networks';
const REGISTRATION = 'all-in-measuring-leadership-impact';
const PASSCODE = 'scaling-with-quality';
const SECRET = 'doha-2026';
const EMAIL = 'join-organizer@example.org';
const PASSWORD = 'correct horse battery staple';
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/** Polls until the value matches: the pages update after a form round trip (or, with JavaScript, after hydration). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000, interval: 100 });

let t: TestApp;
let browser: Browser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
  await t.app.auth.organizers.create(EMAIL, 'Olu Organizer', PASSWORD);
  for (const slug of [OPEN, REGISTRATION, PASSCODE]) {
    ids[slug] = ((await (await fetch(`${t.url}/api/events/${slug}`)).json()) as { id: string }).id;
  }
  // Any test may run alone: the registration event is in registration mode from the start (its
  // test sets it again through the page). The passcode event gets its passcode in its own test.
  await inContext(
    (context) => adminCall(context, 'put', `/api/admin/events/${ids[REGISTRATION]}/access`, { mode: 'registration' }),
    { organizer: true },
  );
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Runs `use` in a fresh browser context (signed in as the organizer when asked); always closes it. */
async function inContext<T>(
  use: (context: BrowserContext, page: Page) => Promise<T>,
  opts: BrowserContextOptions & { organizer?: boolean } = {},
): Promise<T> {
  const { organizer, ...options } = opts;
  const context = await browser.newContext(options);
  try {
    if (organizer) {
      const res = await context.request.post(`${t.url}/api/auth/login`, {
        data: { email: EMAIL, password: PASSWORD },
      });
      expect(res.status()).toBe(200);
    }
    return await use(context, await context.newPage());
  } finally {
    await context.close();
  }
}

/** Sets an event's access through the organizer's audience page (`passcode` typed when given). */
async function setAccessThroughPage(page: Page, slug: string, mode: RegExp, passcode?: string) {
  await page.goto(`${t.url}/admin/events/${ids[slug]}/audience`);
  await page.getByRole('radio', { name: mode }).check();
  if (passcode !== undefined) await page.getByRole('textbox', { name: /^Passcode/ }).fill(passcode);
  await page.getByRole('button', { name: 'Save access' }).click();
}

/** An organizer API call from a signed-in context (setup for pages under test). */
async function adminCall(context: BrowserContext, method: 'post' | 'put', path: string, data?: object) {
  const res = await context.request[method](`${t.url}${path}`, data ? { data } : {});
  expect(res.ok()).toBe(true);
  return res.json() as Promise<unknown>;
}

async function roleIn(context: BrowserContext, slug: string) {
  return (await context.request.get(`${t.url}/api/events/${slug}/role`)).json() as Promise<{
    role: string;
    displayName: string | null;
  }>;
}

interface Focused {
  tag: string;
  id: string;
  text: string;
}

const focusedNow = (page: Page) =>
  page.evaluate((): Focused => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', id: el?.id ?? '', text: el?.textContent?.trim() ?? '' };
  });

/** Presses Tab until the focused element matches, unless it already does (keyboard only: no clicks, no fills). */
async function tabTo(page: Page, matches: (f: Focused) => boolean, max = 40): Promise<void> {
  if (matches(await focusedNow(page))) return;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focusedNow(page))) return;
  }
  throw new Error(`Tab never reached the element (focus is on ${JSON.stringify(await focusedNow(page))})`);
}

describe('audience join page', () => {
  it('open event: a fresh browser joins from the event page with a name, gets the calendar file, and the event page knows it', async () => {
    await inContext(async (context, page) => {
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
      expect(await roleIn(context, OPEN)).toEqual({ role: 'audience', displayName: 'Amina Yusuf' });

      await page.goto(`${t.url}/events/${OPEN}`);
      await poll(() => page.getByText('You have joined this event').textContent()).toBeTruthy();
      await page.getByText('as Amina Yusuf').waitFor();
      await expect(page.getByRole('link', { name: 'Join this event' }).count()).resolves.toBe(0);
    });
  });

  it('registration: consent is required; then a personal link joins a third browser (with a click, not on opening it); the organizer lists the registration and its CSV has it', async () => {
    await inContext(
      async (_c, admin) => {
        await setAccessThroughPage(admin, REGISTRATION, /^Registration/);
        await poll(() => admin.getByRole('status').textContent()).toMatch(/Saved.*Registration/);
      },
      { organizer: true },
    );

    const personalLink = await inContext(async (context, page) => {
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
      expect(await roleIn(context, REGISTRATION)).toEqual({ role: 'visitor', displayName: null });

      await consent.check();
      await page.getByRole('button', { name: 'Register and join' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      const link = await page.getByRole('textbox', { name: 'Your personal join link' }).inputValue();
      expect(link).toMatch(new RegExp(`^${t.url}/events/${REGISTRATION}/join\\?t=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
      expect((await roleIn(context, REGISTRATION)).role).toBe('audience');
      return link;
    });

    await inContext(async (context, page) => {
      await page.goto(personalLink);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Join with your personal link');
      // Opening the link changes nothing: joining is a POST.
      expect(await roleIn(context, REGISTRATION)).toEqual({ role: 'visitor', displayName: null });
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Kwabena Mensah' });

      // A link with a wrong token says so, and offers the registration form instead.
      await page.goto(personalLink.slice(0, -2) + (personalLink.endsWith('AA') ? 'BB' : 'AA'));
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/not valid for this event/);
      await page.getByRole('button', { name: 'Register and join' }).waitFor();
    });

    await inContext(
      async (_c, page) => {
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
      },
      { organizer: true },
    );
  });

  it('passcode: the organizer must give one; a wrong passcode is refused at the field, the right one joins', async () => {
    await inContext(
      async (_c, admin) => {
        await setAccessThroughPage(admin, PASSCODE, /^Passcode/);
        await poll(() => admin.getByRole('alert').textContent()).toMatch(/Enter a passcode for this event/);
        await setAccessThroughPage(admin, PASSCODE, /^Passcode/, SECRET);
        await poll(() => admin.getByRole('status').textContent()).toMatch(/Saved.*Passcode/);
      },
      { organizer: true },
    );

    await inContext(async (context, page) => {
      await page.goto(`${t.url}/events/${PASSCODE}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Nour Haddad');
      await page.getByRole('textbox', { name: 'Passcode' }).fill('not-it');
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/passcode is not right/);
      await poll(() => page.locator('#join-passcode-error').textContent()).toMatch(/passcode is not right/);
      await expect(page.getByRole('textbox', { name: 'Your name' }).inputValue()).resolves.toBe('Nour Haddad');
      expect((await roleIn(context, PASSCODE)).role).toBe('visitor');

      await page.getByRole('textbox', { name: 'Passcode' }).fill(SECRET);
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, PASSCODE)).toEqual({ role: 'audience', displayName: 'Nour Haddad' });
    });
  });
});

describe('by keyboard alone', () => {
  it('redeems an invite: Tab to the prefilled name, Tab to the button, Enter', async () => {
    const link = await inContext(
      async (context) =>
        (
          (await adminCall(context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
            role: 'moderator',
            expiresInHours: 24,
            label: 'Layla Moderator',
          })) as CreatedInvite
        ).url,
      { organizer: true },
    );
    await inContext(async (context, page) => {
      await page.goto(link);
      await tabTo(page, (f) => f.id === 'invite-name');
      await tabTo(page, (f) => f.tag === 'button', 3);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.url}/events/${OPEN}`);
      await page.getByText('You are a moderator for this event').waitFor();
      expect(await roleIn(context, OPEN)).toEqual({ role: 'moderator', displayName: 'Layla Moderator' });
    });
  });

  it('joins an open event: from the event page’s Join link to the confirmation', async () => {
    await inContext(async (context, page) => {
      await page.goto(`${t.url}/events/${OPEN}`);
      await tabTo(page, (f) => f.tag === 'a' && f.text === 'Join this event');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.url}/events/${OPEN}/join`);
      await tabTo(page, (f) => f.id === 'join-name');
      await page.keyboard.type('Rahul Iyer');
      await tabTo(page, (f) => f.tag === 'button', 3);
      await page.keyboard.press('Enter');
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, OPEN)).toEqual({ role: 'audience', displayName: 'Rahul Iyer' });
    });
  });

  it('registers: a missing consent is reported, the summary link takes focus to the box, Space ticks it', async () => {
    await inContext(async (context, page) => {
      await page.goto(`${t.url}/events/${REGISTRATION}/join`);
      await tabTo(page, (f) => f.id === 'join-name');
      await page.keyboard.type('Leila Mansour');
      await tabTo(page, (f) => f.id === 'join-email', 3);
      await page.keyboard.type('leila@example.org');
      await tabTo(page, (f) => f.tag === 'button', 6);
      await page.keyboard.press('Enter');

      // The error summary takes focus; its link leads to the checkbox.
      await poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
      await tabTo(page, (f) => f.tag === 'a' && /Tick the box/.test(f.text), 3);
      await page.keyboard.press('Enter');
      await tabTo(page, (f) => f.id === 'join-consent', 3);
      await page.keyboard.press('Space');
      await tabTo(page, (f) => f.tag === 'button', 3);
      await page.keyboard.press('Enter');
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Leila Mansour' });
    });
  });
});

describe('without JavaScript', () => {
  const noJs = { javaScriptEnabled: false };

  it('redeems an invite: the form posts, the browser gets its session and lands on the event as a speaker', async () => {
    const link = await inContext(
      async (context) =>
        (
          (await adminCall(context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
            role: 'speaker',
            expiresInHours: 2,
            label: '',
          })) as CreatedInvite
        ).url,
      { organizer: true },
    );
    await inContext(async (context, page) => {
      await page.goto(link);
      // No suggested name: an empty name is refused by the server and shown at the field.
      await page.getByRole('button', { name: 'Accept and join as speaker' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/Enter your name/);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Tom Speaker');
      await page.getByRole('button', { name: 'Accept and join as speaker' }).click();
      await page.waitForURL(`${t.url}/events/${OPEN}`);
      await page.getByText('You are a speaker for this event').waitFor();
      expect(await roleIn(context, OPEN)).toEqual({ role: 'speaker', displayName: 'Tom Speaker' });
    }, noJs);
  });

  it('joins an open event', async () => {
    await inContext(async (context, page) => {
      await page.goto(`${t.url}/events/${OPEN}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Grace Njeri');
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, OPEN)).toEqual({ role: 'audience', displayName: 'Grace Njeri' });
    }, noJs);
  });

  it('registers (400 with the error until consent is given) and joins another browser with the personal link', async () => {
    const link = await inContext(async (_context, page) => {
      await page.goto(`${t.url}/events/${REGISTRATION}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Ana Lima');
      await page.getByRole('textbox', { name: 'Email address' }).fill('ana@example.org');
      await page.getByRole('combobox', { name: /Country/ }).selectOption({ label: 'Brazil' });
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Register and join' }).click(),
      ]);
      expect(refused.status()).toBe(400);
      await poll(() => page.getByRole('alert').textContent()).toMatch(/Tick the box to agree/);
      await expect(page.getByRole('textbox', { name: 'Email address' }).inputValue()).resolves.toBe('ana@example.org');
      // The server rendered the answers back into the form.
      await expect(page.getByRole('combobox', { name: /Country/ }).inputValue()).resolves.toBe('BR');
      await page.getByRole('checkbox', { name: /I agree/ }).check();
      await page.getByRole('button', { name: 'Register and join' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      // No Copy button without JavaScript: the link is in a read-only field to select.
      await expect(page.getByRole('button', { name: /Copy/ }).count()).resolves.toBe(0);
      return page.getByRole('textbox', { name: 'Your personal join link' }).inputValue();
    }, noJs);

    await inContext(async (context, page) => {
      await page.goto(link);
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Ana Lima' });
    }, noJs);
  });
});

describe('accessibility at desktop and phone widths', () => {
  let inviteUrl: string;
  let revokedUrl: string;

  beforeAll(async () => {
    await inContext(
      async (context) => {
        // The passcode event in its mode (idempotent: its test above sets it through the page).
        await adminCall(context, 'put', `/api/admin/events/${ids[PASSCODE]}/access`, {
          mode: 'passcode',
          passcode: SECRET,
        });
        const make = async (label: string) =>
          (await adminCall(context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
            role: 'speaker',
            expiresInHours: 24,
            label,
          })) as CreatedInvite;
        inviteUrl = (await make('Axe Speaker')).url;
        const revoked = await make('Revoked Speaker');
        await adminCall(context, 'post', `/api/admin/events/${ids[OPEN]}/invites/${revoked.id}/revoke`);
        revokedUrl = revoked.url;
      },
      { organizer: true },
    );
  });

  /** Axe and overflow at both widths, on the page as `open` leaves it. */
  async function checkBothWidths(page: Page, errors: string[]) {
    for (const viewport of Object.values(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    expect(errors).toEqual([]);
  }

  const cases: { name: string; organizer?: boolean; status?: number; open: (page: Page) => Promise<unknown> }[] = [
    { name: 'invite', open: (p) => p.goto(inviteUrl) },
    { name: 'revoked invite', status: 410, open: (p) => p.goto(revokedUrl) },
    { name: 'join (open)', open: (p) => p.goto(`${t.url}/events/${OPEN}/join`) },
    { name: 'join (registration)', open: (p) => p.goto(`${t.url}/events/${REGISTRATION}/join`) },
    { name: 'join (passcode)', open: (p) => p.goto(`${t.url}/events/${PASSCODE}/join`) },
    {
      name: 'join (registration) with errors',
      open: async (p) => {
        await p.goto(`${t.url}/events/${REGISTRATION}/join`);
        await p.getByRole('button', { name: 'Register and join' }).click();
        await p.getByRole('alert').waitFor();
      },
    },
    {
      name: 'join confirmation with the personal link',
      open: async (p) => {
        await p.goto(`${t.url}/events/${REGISTRATION}/join`);
        await p.getByRole('textbox', { name: 'Your name' }).fill('Axe Person');
        await p.getByRole('textbox', { name: 'Email address' }).fill('axe@example.org');
        await p.getByRole('checkbox', { name: /I agree/ }).check();
        await p.getByRole('button', { name: 'Register and join' }).click();
        await p.getByRole('textbox', { name: 'Your personal join link' }).waitFor();
      },
    },
    { name: 'personal link', open: (p) => p.goto(`${t.url}/events/${REGISTRATION}/join?t=a.b.c`) },
    { name: 'admin invites', organizer: true, open: (p) => p.goto(`${t.url}/admin/events/${ids[OPEN]}/invites`) },
    {
      name: 'admin invites with a new link',
      organizer: true,
      open: async (p) => {
        await p.goto(`${t.url}/admin/events/${ids[OPEN]}/invites`);
        await p.getByRole('button', { name: 'Create link' }).click();
        await p.getByRole('textbox', { name: 'Invite link' }).waitFor();
      },
    },
    {
      name: 'admin audience',
      organizer: true,
      open: (p) => p.goto(`${t.url}/admin/events/${ids[REGISTRATION]}/audience`),
    },
  ];

  it.each(cases)('$name: no axe violations, nothing wider than the screen', async (c) => {
    await inContext(
      async (_context, page) => {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error' && !/status of (404|410|400)/.test(m.text())) errors.push(m.text());
        });
        const res = await c.open(page);
        if (res && typeof res === 'object' && 'status' in res) {
          expect((res as { status(): number }).status()).toBe(c.status ?? 200);
        }
        await page.waitForLoadState('networkidle');
        await checkBothWidths(page, errors);
      },
      { organizer: !!c.organizer, viewport: VIEWPORTS.desktop },
    );
  });
});
