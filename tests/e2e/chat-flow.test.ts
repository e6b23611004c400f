/**
 * Chat, reactions and moderation in real Chromium pages against the real app: two audience pages
 * and a moderator. Messages reach every page; markup and a `javascript:` URL stay text (no script
 * runs, no such link); slow mode stops a quick second message with a visible message; the
 * moderator deletes a message (directly, and from the reports queue) and it disappears
 * everywhere; reactions float and their count updates. axe-core finds nothing on the chat panel at
 * desktop and phone widths, nor on the organizers' word-filter page, which adds and removes a word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser, sidewaysOverflow } from '../support/browser.ts';
import { openAs } from '../support/stage.ts';
import { openTab, poll, VIEWPORTS } from '../support/e2e.ts';
import { ORGANIZER_BROWSER, makeOrganizer, sessionCookie } from '../support/organizers.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';

const SLUG = 'chat-e2e-panel';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A page for `person` on the event with the chat tab open and synced; records dialogs and script runs. */
async function pageFor(person: Person, viewport = VIEWPORTS.desktop): Promise<Page> {
  const { context, page } = await openAs(browser, t.url, person, `/events/${SLUG}`, { viewport });
  contexts.push(context);
  page.on('dialog', (d) => {
    (page as Page & { dialogs?: number }).dialogs = ((page as Page & { dialogs?: number }).dialogs ?? 0) + 1;
    void d.dismiss();
  });
  await openTab(page, 'Chat');
  await page.locator('#panel-chat .chat[data-synced="true"]').waitFor();
  return page;
}

const panel = (page: Page) => page.locator('#panel-chat');
const message = (page: Page, text: string) => panel(page).locator('li[data-message-id]', { hasText: text });

async function say(page: Page, text: string) {
  await panel(page).getByRole('textbox', { name: 'Message' }).fill(text);
  await panel(page).getByRole('button', { name: 'Send' }).click();
}

let event: Awaited<ReturnType<typeof makeEvent>>;
let ama: Person;
let ben: Person;
let mona: Person;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true }), launchBrowser()]);
  event = await makeEvent(t, SLUG, 'live');
  ama = await personWith(t, 'audience', event.id, 'Ama <b>Owusu</b>');
  ben = await personWith(t, 'audience', event.id, 'Ben');
  mona = await personWith(t, 'moderator', event.id, 'Mona Moderator');
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

describe('chat in the browser', () => {
  let a: Page;
  let b: Page;
  let m: Page;

  it('shows a message on every page, with names and text escaped and only http(s) links clickable', async () => {
    [a, b, m] = await Promise.all([pageFor(ama), pageFor(ben), pageFor(mona)]);
    await say(a, 'Hello from Accra');
    for (const p of [a, b, m]) await poll(() => message(p, 'Hello from Accra').count()).toBe(1);
    await poll(() => message(b, 'Hello from Accra').locator('.author').textContent()).toBe('Ama <b>Owusu</b>');

    const evil =
      '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> javascript:window.__pwned=3 https://example.org/safe';
    await say(a, evil);
    for (const p of [a, b, m]) {
      const row = message(p, 'javascript:window.__pwned=3');
      await poll(() => row.count()).toBe(1);
      // Shown as the very text typed (the "(opens in a new tab)" note is for screen readers only).
      await poll(() => row.locator('.text').textContent()).toContain('<script>window.__pwned = 1</script>');
      expect(await row.locator('script, img').count()).toBe(0);
      expect(await row.locator('a[href^="javascript"]').count()).toBe(0);
      const links = row.getByRole('link');
      expect(await links.count()).toBe(1);
      expect(await links.first().getAttribute('href')).toBe('https://example.org/safe');
      expect(await links.first().getAttribute('rel')).toBe('nofollow noopener noreferrer ugc');
      expect(await links.first().getAttribute('target')).toBe('_blank');
      expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect((p as Page & { dialogs?: number }).dialogs ?? 0).toBe(0);
    }
  });

  it('slow mode stops a quick second message with a visible message', async () => {
    await m.getByRole('combobox', { name: 'Slow mode' }).selectOption('30');
    await poll(() => panel(a).getByText('Slow mode: one message every 30 seconds.').count()).toBe(1);
    await say(a, 'First under slow mode');
    await poll(() => message(b, 'First under slow mode').count()).toBe(1);
    await say(a, 'Too quick');
    await poll(() => panel(a).getByTestId('chat-error').textContent()).toMatch(
      /Slow mode is on: one message every 30 s/,
    );
    // What they typed is kept for later; nobody received it.
    expect(await panel(a).getByRole('textbox', { name: 'Message' }).inputValue()).toBe('Too quick');
    expect(await message(b, 'Too quick').count()).toBe(0);
    // The moderator is exempt.
    await say(m, 'Moderator note one');
    await say(m, 'Moderator note two');
    await poll(() => message(b, 'Moderator note two').count()).toBe(1);
    await m.getByRole('combobox', { name: 'Slow mode' }).selectOption('0');
    await poll(() =>
      panel(a)
        .getByText(/Slow mode: one message/)
        .count(),
    ).toBe(0);
  });

  it('the moderator deletes a message and it disappears on every page', async () => {
    await say(b, 'Please delete me');
    for (const p of [a, b, m]) await poll(() => message(p, 'Please delete me').count()).toBe(1);
    await message(m, 'Please delete me').getByRole('button', { name: 'Delete message from Ben' }).click();
    for (const p of [a, b, m]) await poll(() => message(p, 'Please delete me').count()).toBe(0);
    // The audience gets no moderator buttons.
    expect(
      await panel(a)
        .getByRole('button', { name: /^Delete message/ })
        .count(),
    ).toBe(0);
  });

  it('a report reaches the moderator, who deletes the message from the queue', async () => {
    await say(b, 'A rude remark');
    await poll(() => message(a, 'A rude remark').count()).toBe(1);
    await message(a, 'A rude remark').getByRole('button', { name: 'Report message from Ben' }).click();
    await message(a, 'A rude remark')
      .getByRole('textbox', { name: /Why are you reporting this/ })
      .fill('Rude <i>to</i> Ama');
    await message(a, 'A rude remark').getByRole('button', { name: 'Send report' }).click();
    await poll(() => panel(a).getByRole('status').filter({ hasText: 'moderators will look' }).count()).toBe(1);

    const queued = panel(m).locator('li[data-report-id]', { hasText: 'A rude remark' });
    await poll(() => queued.count()).toBe(1);
    await poll(() => queued.textContent()).toContain('Rude <i>to</i> Ama');
    expect(await panel(b).locator('li[data-report-id]').count()).toBe(0);
    await queued.getByRole('button', { name: 'Delete message by Ben' }).click();
    for (const p of [a, b, m]) await poll(() => message(p, 'A rude remark').count()).toBe(0);
    await poll(() => queued.count()).toBe(0);
  });

  it('reactions float and their count updates on every page', async () => {
    const applause = (p: Page) => panel(p).getByRole('button', { name: /^Applause/ });
    expect(await applause(a).locator('.count').textContent()).toBe('0');
    await applause(b).click();
    await applause(b).click();
    for (const p of [a, b, m]) await poll(() => applause(p).locator('.count').textContent()).toBe('2');
    await applause(m).click();
    await poll(() => a.locator('.reaction-float[data-emoji="👏"]').count()).toBeGreaterThan(0);
    for (const p of [a, b, m]) await poll(() => applause(p).locator('.count').textContent()).toBe('3');
  });

  it('the moderator switches chat off and the audience is told', async () => {
    await m.getByRole('switch', { name: 'Chat on' }).uncheck();
    await poll(() => panel(a).getByTestId('chat-blocked').textContent()).toMatch(/switched the chat off/);
    expect(await panel(a).getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await m.getByRole('switch', { name: 'Chat on' }).check();
    await poll(() => panel(a).getByRole('textbox', { name: 'Message' }).count()).toBe(1);
  });

  it('has no axe violations and no sideways scroll on the chat panel at desktop and phone widths', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      for (const person of [ama, mona]) {
        const p = await pageFor(person, viewport);
        await poll(() => message(p, 'Hello from Accra').count()).toBe(1);
        expect(await axeViolations(p, '#panel-chat')).toEqual([]);
        expect(await sidewaysOverflow(p, '#panel-chat')).toEqual([]);
        await p.context().close();
      }
    }
  });
});

describe('the word filter page', () => {
  it('adds and removes a word, and has no axe violations at both widths', async () => {
    const organizer = await makeOrganizer(t, 'filter');
    const context = await browser.newContext({ ...ORGANIZER_BROWSER, viewport: VIEWPORTS.desktop });
    contexts.push(context);
    await context.addCookies([await sessionCookie(t, organizer.id)]);
    const page = await context.newPage();
    await page.goto(`${t.url}/admin`);
    await page.getByRole('navigation', { name: 'Organizer' }).getByRole('link', { name: 'Word filter' }).click();
    await page.waitForURL(`${t.url}/admin/moderation`);
    await poll(() => page.getByText('No words yet').count()).toBe(1);

    await page.getByRole('textbox', { name: /Word or phrase/ }).fill('Spam<b>');
    await page.getByRole('button', { name: 'Add to the filter' }).click();
    await poll(() => page.getByRole('listitem').filter({ hasText: 'Spam<b>' }).count()).toBe(1);
    expect(
      await (
        await fetch(`${t.url}/api/admin/moderation/words`, {
          headers: { cookie: `${SESSION_COOKIE}=${(await sessionCookie(t, organizer.id)).value}` },
        })
      ).json(),
    ).toEqual({ words: ['Spam<b>'] });

    // An empty word is refused with a summary.
    await page.getByRole('textbox', { name: /Word or phrase/ }).fill('   ');
    await page.getByRole('button', { name: 'Add to the filter' }).click();
    await poll(() => page.getByRole('alert').count()).toBe(1);

    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
      await page.setViewportSize(viewport);
      expect((await axeViolations(page)).map((v) => v.id)).toEqual([]);
    }

    await page.getByRole('button', { name: 'Remove “Spam<b>”' }).click();
    await poll(() => page.getByText('No words yet').count()).toBe(1);
    await poll(() => page.getByRole('status').filter({ hasText: 'was removed from the filter' }).count()).toBe(1);
  });
});
