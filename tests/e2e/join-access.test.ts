/**
 * Joining without a mouse or without JavaScript, in a real Chromium against the real app with the
 * demo loaded: redeeming an invite, joining an open event and registering by keyboard alone; the
 * same with JavaScript off; and axe and overflow on every page of the flow (invites, join pages,
 * the organizer's invites and audience pages) at desktop and phone widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CreatedInvite } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { byId, inContext, poll, tabTo, VIEWPORTS } from '../support/e2e.ts';
import {
  adminCall,
  asOrganizer,
  type JoinEvent,
  OPEN,
  PASSCODE,
  prepareJoinEvents,
  REGISTRATION,
  roleIn,
  SECRET,
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

describe('by keyboard alone', () => {
  it('redeems an invite: Tab to the prefilled name, Tab to the button, Enter', async () => {
    const link = await inContext(
      browser,
      { signIn: asOrganizer(t) },
      async (_page, context) =>
        (
          (await adminCall(t, context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
            role: 'moderator',
            expiresInHours: 24,
            label: 'Layla Moderator',
          })) as CreatedInvite
        ).url,
    );
    await inContext(browser, {}, async (page, context) => {
      await page.goto(link);
      await tabTo(page, 'the name', byId('invite-name'), { includeCurrent: true, max: 40 });
      await tabTo(page, 'the button', (f) => f.tag === 'button', { includeCurrent: true, max: 3 });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.url}/events/${OPEN}`);
      await page.getByText('You are a moderator for this event').waitFor();
      expect(await roleIn(t, context, OPEN)).toEqual({ role: 'moderator', displayName: 'Layla Moderator' });
    });
  });

  it('joins an open event: from the event page’s Join link to the confirmation', async () => {
    await inContext(browser, {}, async (page, context) => {
      await page.goto(`${t.url}/events/${OPEN}`);
      await tabTo(page, 'the Join link', (f) => f.tag === 'a' && f.text === 'Join this event', {
        includeCurrent: true,
        max: 40,
      });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.url}/events/${OPEN}/join`);
      await tabTo(page, 'the name', byId('join-name'), { includeCurrent: true, max: 40 });
      await page.keyboard.type('Rahul Iyer');
      await tabTo(page, 'the button', (f) => f.tag === 'button', { includeCurrent: true, max: 3 });
      await page.keyboard.press('Enter');
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, OPEN)).toEqual({ role: 'audience', displayName: 'Rahul Iyer' });
    });
  });

  it('registers: a missing consent is reported, the summary link takes focus to the box, Space ticks it', async () => {
    await inContext(browser, {}, async (page, context) => {
      await page.goto(`${t.url}/events/${REGISTRATION}/join`);
      await tabTo(page, 'the name', byId('join-name'), { includeCurrent: true, max: 40 });
      await page.keyboard.type('Leila Mansour');
      await tabTo(page, 'the email', byId('join-email'), { includeCurrent: true, max: 3 });
      await page.keyboard.type('leila@example.org');
      await tabTo(page, 'the button', (f) => f.tag === 'button', { includeCurrent: true, max: 6 });
      await page.keyboard.press('Enter');

      // The error summary takes focus; its link leads to the checkbox.
      await poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
      await tabTo(page, 'the summary link', (f) => f.tag === 'a' && /Tick the box/.test(f.text), {
        includeCurrent: true,
        max: 3,
      });
      await page.keyboard.press('Enter');
      await tabTo(page, 'the consent box', byId('join-consent'), { includeCurrent: true, max: 3 });
      await page.keyboard.press('Space');
      await tabTo(page, 'the button', (f) => f.tag === 'button', { includeCurrent: true, max: 3 });
      await page.keyboard.press('Enter');
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Leila Mansour' });
    });
  });
});

describe('without JavaScript', () => {
  const noJs = { javaScriptEnabled: false };

  it('redeems an invite: the form posts, the browser gets its session and lands on the event as a speaker', async () => {
    const link = await inContext(
      browser,
      { signIn: asOrganizer(t) },
      async (_page, context) =>
        (
          (await adminCall(t, context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
            role: 'speaker',
            expiresInHours: 2,
            label: '',
          })) as CreatedInvite
        ).url,
    );
    await inContext(browser, noJs, async (page, context) => {
      await page.goto(link);
      // No suggested name: an empty name is refused by the server and shown at the field.
      await page.getByRole('button', { name: 'Accept and join as speaker' }).click();
      await poll(() => page.getByRole('alert').textContent()).toMatch(/Enter your name/);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Tom Speaker');
      await page.getByRole('button', { name: 'Accept and join as speaker' }).click();
      await page.waitForURL(`${t.url}/events/${OPEN}`);
      await page.getByText('You are a speaker for this event').waitFor();
      expect(await roleIn(t, context, OPEN)).toEqual({ role: 'speaker', displayName: 'Tom Speaker' });
    });
  });

  it('joins an open event', async () => {
    await inContext(browser, noJs, async (page, context) => {
      await page.goto(`${t.url}/events/${OPEN}/join`);
      await page.getByRole('textbox', { name: 'Your name' }).fill('Grace Njeri');
      await page.getByRole('button', { name: 'Join the event' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, OPEN)).toEqual({ role: 'audience', displayName: 'Grace Njeri' });
    });
  });

  it('registers (400 with the error until consent is given) and joins another browser with the personal link', async () => {
    const link = await inContext(browser, noJs, async (page) => {
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
    });

    await inContext(browser, noJs, async (page, context) => {
      await page.goto(link);
      await page.getByRole('button', { name: 'Join in this browser' }).click();
      await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have joined');
      expect(await roleIn(t, context, REGISTRATION)).toEqual({ role: 'audience', displayName: 'Ana Lima' });
    });
  });
});

describe('accessibility at desktop and phone widths', () => {
  let inviteUrl: string;
  let revokedUrl: string;

  beforeAll(async () => {
    await inContext(browser, { signIn: asOrganizer(t) }, async (_page, context) => {
      // The passcode event in its mode (idempotent: its test above sets it through the page).
      await adminCall(t, context, 'put', `/api/admin/events/${ids[PASSCODE]}/access`, {
        mode: 'passcode',
        passcode: SECRET,
      });
      const make = async (label: string) =>
        (await adminCall(t, context, 'post', `/api/admin/events/${ids[OPEN]}/invites`, {
          role: 'speaker',
          expiresInHours: 24,
          label,
        })) as CreatedInvite;
      inviteUrl = (await make('Axe Speaker')).url;
      const revoked = await make('Revoked Speaker');
      await adminCall(t, context, 'post', `/api/admin/events/${ids[OPEN]}/invites/${revoked.id}/revoke`);
      revokedUrl = revoked.url;
    });
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
      browser,
      { viewport: VIEWPORTS.desktop, ...(c.organizer ? { signIn: asOrganizer(t) } : {}) },
      async (page) => {
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
    );
  });
});
