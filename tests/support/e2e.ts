/**
 * Shared helpers for the browser tests (tests/e2e): the two screen sizes, polling while a page
 * settles, a fresh browser context per use (with cookies or a signed-in organizer), and
 * keyboard-only navigation (what has focus, Tab until something matches, retyping a field).
 */
import { expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** The widths every page is checked at. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/** Retries an assertion while the page settles (a form round trip, client navigation or hydration). */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000, interval: 100 });

/** A cookie as `context.addCookies` takes it (e.g. `{ name, value, url }`). */
export type Cookie = Parameters<BrowserContext['addCookies']>[0][number];

export type ContextOptions = BrowserContextOptions & {
  /** Added to the context before the page opens. */
  cookies?: Cookie[];
  /** Signs in through the API (`url` is the app's base address); the session cookie stays on the context. */
  signIn?: { url: string; email: string; password: string };
};

/** Runs `use` with a page in a fresh browser context made with `opts`; always closes the context. */
export async function inContext<T>(
  browser: Browser,
  opts: ContextOptions,
  use: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { cookies, signIn, ...options } = opts;
  const context = await browser.newContext(options);
  try {
    if (cookies?.length) await context.addCookies(cookies);
    if (signIn) {
      const res = await context.request.post(`${signIn.url}/api/auth/login`, {
        data: { email: signIn.email, password: signIn.password },
      });
      expect(res.status()).toBe(200);
    }
    return await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** The focused element, described for matching. */
export function focused(page: Page) {
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

export type Focused = Awaited<ReturnType<typeof focused>>;

/**
 * Presses Tab (Shift+Tab when `backwards`) until `match` holds for the focused element, at most
 * `max` times (250). It always presses first, unless `includeCurrent` and the focus already matches.
 */
export async function tabTo(
  page: Page,
  what: string,
  match: (f: Focused) => boolean,
  opts: { backwards?: boolean; includeCurrent?: boolean; max?: number } = {},
): Promise<void> {
  const { backwards = false, includeCurrent = false, max = 250 } = opts;
  if (includeCurrent && match(await focused(page))) return;
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (match(f)) return;
    seen.push(`${f.tag}#${f.id}${f.text ? ` "${f.text.slice(0, 30)}"` : ''}`);
  }
  throw new Error(`Tab never reached ${what}; focus went through ${seen.slice(0, 80).join(', ')}`);
}

export const byId = (id: string) => (f: Focused) => f.id === id;
export const linkTo = (href: string) => (f: Focused) => f.tag === 'a' && f.href === href;
export const button = (text: string) => (f: Focused) => f.tag === 'button' && f.text === text;

/** Replaces the focused field's text by typing. */
export async function retype(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** Selects one of the event page's live panel tabs (Q&A, Polls, Chat): a click before hydration does nothing, so it clicks until the tab is selected. */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await poll(async () => {
    await tab.click();
    return tab.getAttribute('aria-selected');
  }).toBe('true');
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms` naming `what`. */
export async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
