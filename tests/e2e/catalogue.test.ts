/**
 * The public catalogue pages, in a real Chromium against the real app with the demo loaded:
 * accessibility (axe, desktop and phone), the event's times in its own zone and the viewer's,
 * the countdown, pages without JavaScript, 404s, "Live now" and paginated past events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { VIEWPORTS } from '../support/e2e.ts';
import { makeEvent } from '../support/people.ts';

const PAST_EVENT = 'living-lab-3-build-a-learning-ecosystem';
const UPCOMING_EVENT = 'living-lab-4-learning-on-weak-networks';
const PAGES: Record<string, string> = {
  home: '/',
  event: `/events/${PAST_EVENT}`,
  'upcoming event': `/events/${UPCOMING_EVENT}`,
  series: '/series/living-lab',
  'series index': '/series',
  speaker: '/speakers/wanjiru-kamau',
  'past events': '/events?status=past',
  'not found': '/events/no-such-panel',
};

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true, demo: true }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface Visit {
  context: BrowserContext;
  page: Page;
  response: Response | null;
  /** Uncaught exceptions and console errors (a CSP violation shows up here). */
  errors: string[];
}

/** Opens `path` in a fresh browser context; always closes it afterwards. */
async function visit<T>(
  path: string,
  options: BrowserContextOptions,
  use: (v: Visit) => Promise<T>,
  app = t,
): Promise<T> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('status of 404')) errors.push(m.text());
    });
    const response = await page.goto(app.url + path);
    return await use({ context, page, response, errors });
  } finally {
    await context.close();
  }
}

/** The text shown next to a label in the event's "When and where" list. */
function valueFor(page: Page, label: RegExp) {
  return page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
}

describe('accessibility and layout', () => {
  const cases = Object.entries(PAGES).flatMap(([name, path]) =>
    Object.entries(VIEWPORTS).map(([size, viewport]) => ({ name, path, size, viewport })),
  );

  it.each(cases)('$name page at $size width: no axe violations, nothing wider than the screen', async (c) => {
    await visit(c.path, { viewport: c.viewport, timezoneId: 'Africa/Nairobi' }, async ({ page, errors }) => {
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    });
  });
});

describe('event page', () => {
  it('shows the time in the event’s zone and, once hydrated, in the viewer’s zone; later visits render it on the server', async () => {
    await visit(`/events/${PAST_EVENT}`, { timezoneId: 'America/New_York' }, async ({ page, context }) => {
      await expect(valueFor(page, /^Event time$/).textContent()).resolves.toMatch(
        /Tuesday 27 April 2021, 14:00.*\(Asia\/Qatar, GMT\+3\)/s,
      );
      await expect
        .poll(() => valueFor(page, /^Your time/).textContent())
        .toMatch(/Tuesday 27 April 2021, 07:00.*\(America\/New_York, GMT-4\)/s);

      // The browser remembered its zone: a later visit, even without JavaScript, shows it from the server.
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'tz')?.value).toBe('America/New_York');
      await visit(`/events/${PAST_EVENT}`, { javaScriptEnabled: false }, async (later) => {
        await later.context.addCookies(cookies);
        await later.page.reload();
        await expect(valueFor(later.page, /^Your time$/).textContent()).resolves.toMatch(
          /07:00.*\(America\/New_York, GMT-4\)/s,
        );
      });
    });
  });

  it('is readable without JavaScript: title, both times (UTC for the viewer) and speakers', async () => {
    await visit(`/events/${PAST_EVENT}`, { javaScriptEnabled: false }, async ({ page, response }) => {
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        'How to Build a Learning Ecosystem',
      );
      await expect(valueFor(page, /^Event time$/).textContent()).resolves.toMatch(/14:00/);
      await expect(valueFor(page, /^Your time \(UTC\)$/).textContent()).resolves.toMatch(
        /Tuesday 27 April 2021, 11:00.*\(UTC\)/s,
      );
      const speakers = page.getByRole('region', { name: 'Speakers' }).getByRole('link');
      await expect(speakers.allTextContents()).resolves.toEqual([
        'Thandiwe Dlamini',
        'Wanjiru Kamau',
        'Tom Whitcombe',
        'Nadia Bensaïd',
      ]);
      await expect(page.getByText('Kenya').first().isVisible()).resolves.toBe(true);

      const calendar = page.getByRole('link', { name: /Add to calendar/ });
      expect(await calendar.getAttribute('download')).not.toBeNull();
      const ics = await fetch(t.url + ((await calendar.getAttribute('href')) ?? ''));
      expect(ics.status).toBe(200);
      expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    });
  });

  it('counts down to an upcoming event: in the server HTML, then every second once hydrated', async () => {
    await visit(`/events/${UPCOMING_EVENT}`, { javaScriptEnabled: false }, async ({ page }) => {
      await expect(page.getByText(/^Starts in \d+ days?/).textContent()).resolves.toMatch(/^Starts in [89] days/);
    });
    await visit(`/events/${UPCOMING_EVENT}`, {}, async ({ page }) => {
      const countdown = page.getByText(/^Starts in/);
      await expect.poll(() => countdown.textContent()).toMatch(/seconds?$/);
      const first = await countdown.textContent();
      await expect.poll(() => countdown.textContent(), { timeout: 3000 }).not.toBe(first);
    });
  });

  it('answers an unknown address with the 404 page', async () => {
    await visit('/events/no-such-panel', {}, async ({ page, response }) => {
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
      await page.getByRole('link', { name: 'Go to the home page' }).click();
      await page.waitForURL(t.url + '/');
      await expect(page.getByRole('heading', { name: 'Upcoming' }).isVisible()).resolves.toBe(true);
    });
    for (const path of ['/series/no-such-series', '/speakers/nobody', '/events?status=past&page=99']) {
      expect((await fetch(t.url + path)).status, path).toBe(404);
    }
  });
});

describe('home, series and speaker pages', () => {
  it('lists upcoming events with a countdown and past events most recent first; no "Live now" when nothing is live', async () => {
    await visit('/', { javaScriptEnabled: false }, async ({ page }) => {
      const upcoming = page.getByRole('region', { name: 'Upcoming' });
      await expect(upcoming.getByRole('link', { name: /Learning Ecosystems on Weak Networks/ }).count()).resolves.toBe(
        1,
      );
      await expect(upcoming.getByText(/^Starts in \d+ days?$/).count()).resolves.toBe(3);
      const past = page.getByRole('region', { name: 'Past events' }).getByRole('heading', { level: 3 });
      await expect(past.first().textContent()).resolves.toContain('Panel #3');
      await expect(page.getByText('Live now').count()).resolves.toBe(0);
    });
  });

  it('navigates between pages in the browser', async () => {
    await visit('/', {}, async ({ page, errors }) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Series' }).click();
      await page.waitForURL(`${t.url}/series`);
      await page.getByRole('link', { name: 'Learning Ecosystems Living Lab' }).click();
      await page.waitForURL(`${t.url}/series/living-lab`);
      await expect(page.getByRole('region', { name: 'Past events' }).getByRole('listitem').count()).resolves.toBe(3);
      await page.getByRole('link', { name: /Panel #3/ }).click();
      await page.getByRole('link', { name: 'Wanjiru Kamau', exact: true }).click();
      await page.waitForURL(`${t.url}/speakers/wanjiru-kamau`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Wanjiru Kamau');
      await expect(page.title()).resolves.toBe('Wanjiru Kamau · Colloquy');
      expect(errors).toEqual([]);
    });
  });
});

describe('with a live event and many past events', () => {
  let busy: TestApp;

  beforeAll(async () => {
    busy = await startTestApp({ web: true, demo: true });
    await makeEvent(busy, 'live-right-now', 'live');
    for (let i = 1; i <= 13; i++) {
      const startsAt = new Date(Date.UTC(2016, 0, i, 12)).toISOString();
      await busy.app.catalogue.store.putEvent(
        {
          ...{ slug: `archive-${i}`, title: `Archive session ${i}`, description: 'Old', location: 'Online' },
          ...{ startsAt, endsAt: new Date(Date.parse(startsAt) + 3600_000).toISOString(), timeZone: 'UTC' },
          ...{ status: 'ended' as const, seriesId: null, speakerIds: [] },
        },
        'organizer',
      );
    }
  });
  afterAll(() => busy?.close());

  it('shows "Live now" on the home page and the event page', async () => {
    await visit(
      '/',
      { javaScriptEnabled: false },
      async ({ page }) => {
        const live = page.getByRole('region', { name: /Live now/ });
        const title = live.getByRole('link', { name: 'Test live-right-now', exact: true });
        await expect(title.count()).resolves.toBe(1);
        await title.click();
        await expect(page.getByText('Live now').first().isVisible()).resolves.toBe(true);
        await expect(page.getByText('Happening now').isVisible()).resolves.toBe(true);
      },
      busy,
    );
  });

  it('paginates past events with plain links that work without JavaScript', async () => {
    await visit(
      '/events?status=past',
      { javaScriptEnabled: false },
      async ({ page }) => {
        const titles = () => page.getByRole('heading', { level: 2 }).allTextContents();
        const first = await titles();
        expect(first).toHaveLength(12);
        expect(first[0]).toContain('Panel #3');
        await page.getByRole('link', { name: 'Next' }).click();
        await page.waitForURL(/page=2/);
        expect(await titles()).toEqual([
          'Archive session 9',
          ...[8, 7, 6, 5, 4, 3, 2, 1].map((n) => `Archive session ${n}`),
        ]);
        await expect(page.getByRole('link', { name: 'Page 2' }).getAttribute('aria-current')).resolves.toBe('page');
        await expect(page.getByRole('link', { name: 'Next' }).count()).resolves.toBe(0);
      },
      busy,
    );
  });
});
