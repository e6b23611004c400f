/**
 * The built-in recorder: one headless Chromium (playwright-core on the system's Chromium),
 * one page per live event on /record/<slug>?token=<recorder token>. The page does the work
 * (joins LiveKit hidden, composes, records, uploads); this only opens, watches and stops it.
 */
import type { Browser, Page } from 'playwright-core';
import type { Logger } from '../log/logger.ts';

/** Flags this machine's Chromium needs (STACK.md), and what keeps a hidden page's timers and audio running. */
export const RECORDER_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--allow-loopback-in-peer-connection',
];

/** What the recorder page exposes on `window.__colloquyRecorder`. */
export interface RecorderPageState {
  state: 'starting' | 'recording' | 'stopping' | 'stopped' | 'failed';
  segment: number | null;
  chunksSent: number;
  error: string | null;
}

export interface Recorder {
  /**
   * Gets ready before the event goes live (the green room opened): the browser is launched and a
   * blank page made, so going live only loads the recorder page — the recording then starts within
   * a second or two of the live moment instead of after a cold browser start.
   */
  warm?(eventId: string, standbyUrl: string): Promise<void>;
  /** True once the standby page for the event is loaded and waiting to start. */
  standing?(eventId: string): Promise<boolean>;
  /** Opens the recorder page for the event (no-op if one is open and healthy). */
  start(eventId: string, url: string): Promise<void>;
  /** Asks the page to flush its last chunk, waits for it (up to `timeoutMs`), and closes it. */
  stop(eventId: string, timeoutMs?: number): Promise<void>;
  /** True while a page for the event is open and has not failed. */
  healthy(eventId: string): Promise<boolean>;
  close(): Promise<void>;
}

export class ChromiumRecorder implements Recorder {
  private readonly chromiumPath: string;
  private readonly log: Logger;
  private browser: Promise<Browser> | null = null;
  private readonly pages = new Map<string, Page>();
  private readonly openedAt = new Map<string, number>();

  constructor(o: { chromiumPath: string; log: Logger }) {
    this.chromiumPath = o.chromiumPath;
    this.log = o.log;
  }

  private async launch(): Promise<Browser> {
    if (!this.browser) {
      this.browser = (async () => {
        const { chromium } = await import('playwright-core');
        const b = await chromium.launch({
          executablePath: this.chromiumPath,
          headless: true,
          args: RECORDER_CHROMIUM_FLAGS,
        });
        b.on('disconnected', () => {
          this.browser = null;
          this.pages.clear();
        });
        return b;
      })();
      this.browser.catch(() => (this.browser = null));
    }
    return this.browser;
  }

  private readonly warmPages = new Map<string, Promise<Page>>();

  private async blankPage(): Promise<Page> {
    const browser = await this.launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    return context.newPage();
  }

  async standing(eventId: string): Promise<boolean> {
    const warm = this.warmPages.get(eventId);
    if (!warm) return false;
    const settled = await Promise.race([warm.then(() => true), new Promise<false>((r) => setTimeout(r, 0, false))]);
    return settled;
  }

  /** Loads the recorder page in standby (`?standby=1`): it waits for its token (see start). */
  async warm(eventId: string, standbyUrl: string): Promise<void> {
    if (this.pages.has(eventId) || this.warmPages.has(eventId)) return;
    const page = this.blankPage().then(async (p) => {
      await p.goto(standbyUrl, { timeout: 30_000 });
      await p.waitForFunction(() => typeof (window as { __colloquyGo?: unknown }).__colloquyGo === 'function');
      return p;
    });
    this.warmPages.set(eventId, page);
    page.catch(() => this.warmPages.delete(eventId));
    await page;
    this.log.info({ eventId }, 'recorder ready for the event to go live');
  }

  async start(eventId: string, url: string): Promise<void> {
    if (await this.healthy(eventId)) return;
    // Take the standby page first (closePage would close it), and keep the browser it lives in.
    const warm = this.warmPages.get(eventId);
    this.warmPages.delete(eventId);
    await this.closePage(eventId, { keepBrowser: true });
    const standby = await warm?.catch(() => null);
    if (standby && !standby.isClosed()) {
      // The page is loaded and waiting: hand it the token (the one in `url`) and it starts at once.
      const token = new URL(url).searchParams.get('token') ?? '';
      this.pages.set(eventId, standby);
      this.openedAt.set(eventId, Date.now());
      this.watch(eventId, standby);
      await standby.evaluate(
        (tk) => (window as unknown as { __colloquyGo: (t: string) => void }).__colloquyGo(tk),
        token,
      );
      this.log.info({ eventId }, 'recorder started from standby');
      return;
    }
    const page = await this.blankPage();
    this.pages.set(eventId, page);
    this.openedAt.set(eventId, Date.now());
    this.watch(eventId, page);
    await page.goto(url, { timeout: 30_000 });
    this.log.info({ eventId }, 'recorder page opened');
  }

  private watch(eventId: string, page: Page): void {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.log.warn({ eventId, text: m.text() }, 'recorder page');
    });
    page.on('crash', () => this.log.error({ eventId }, 'recorder page crashed'));
  }

  private async pageState(page: Page): Promise<RecorderPageState | null> {
    return page
      .evaluate(() => (window as unknown as { __colloquyRecorder?: RecorderPageState }).__colloquyRecorder ?? null)
      .catch(() => null);
  }

  async healthy(eventId: string): Promise<boolean> {
    const page = this.pages.get(eventId);
    if (!page || page.isClosed()) return false;
    const s = await this.pageState(page);
    // A page that has not defined its state yet is still loading (for 30 s at most).
    if (s === null) return Date.now() - (this.openedAt.get(eventId) ?? 0) < 30_000;
    return s.state === 'starting' || s.state === 'recording';
  }

  async stop(eventId: string, timeoutMs = 20_000): Promise<void> {
    const page = this.pages.get(eventId);
    if (!page) return;
    try {
      await Promise.race([
        page.evaluate(() => (window as unknown as { __colloquyStop?: () => Promise<void> }).__colloquyStop?.()),
        new Promise((r) => setTimeout(r, timeoutMs)),
      ]);
    } catch (err) {
      this.log.warn({ err, eventId }, 'recorder page did not stop cleanly');
    }
    await this.closePage(eventId);
  }

  private async closePage(eventId: string, opts: { keepBrowser?: boolean } = {}) {
    const warm = this.warmPages.get(eventId);
    this.warmPages.delete(eventId);
    if (warm)
      await (
        await warm.catch(() => null)
      )
        ?.context()
        .close()
        .catch(() => {});
    const page = this.pages.get(eventId);
    this.pages.delete(eventId);
    if (page)
      await page
        .context()
        .close()
        .catch(() => {});
    if (!opts.keepBrowser && this.pages.size === 0 && this.warmPages.size === 0 && this.browser) {
      const b = this.browser;
      this.browser = null;
      await (await b.catch(() => null))?.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    for (const id of new Set([...this.pages.keys(), ...this.warmPages.keys()])) await this.closePage(id);
    if (this.browser) await (await this.browser.catch(() => null))?.close().catch(() => {});
    this.browser = null;
  }
}
