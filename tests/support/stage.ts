/**
 * Helpers for the stage's browser tests and benchmarks: a Chromium for WebRTC on loopback, pages
 * signed in as a person, and what a page's media elements really received (decoded video frames,
 * live audio tracks) as the app renders them (`video[data-identity]`, `audio[data-identity]`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import type { Person } from './people.ts';

/**
 * Chromium for the stage: loopback ICE candidates (livekit-server offers 127.0.0.1 only), sound
 * without a click (the "Turn on sound" path is not what these tests are about), and a slower fake
 * camera so several publishers and subscribers fit on two cores.
 */
export function launchStageBrowser(): Promise<Browser> {
  return launchBrowser([
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream=fps=15',
  ]);
}

export interface PersonPage {
  context: BrowserContext;
  page: Page;
}

/** A new context signed in as `person` (their session cookie), with a page opened at `path`. */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  person: Person,
  path: string,
  opts: { viewport?: { width: number; height: number }; init?: string } = {},
): Promise<PersonPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    timezoneId: 'Africa/Nairobi',
    locale: 'en-GB',
  });
  if (person.cookie) {
    const [name, ...rest] = person.cookie.split('=');
    await context.addCookies([{ name: name!, value: rest.join('='), url: baseUrl }]);
  }
  if (opts.init) await context.addInitScript(opts.init);
  const page = await context.newPage();
  await page.goto(baseUrl + path);
  return { context, page };
}

/** Decoded frames of the app's video element for `identity` (0 when there is none). */
export function decodedFrames(page: Page, identity: string, source: 'camera' | 'screen' = 'camera'): Promise<number> {
  return page.evaluate(
    ([id, src]) => {
      const v = document.querySelector<HTMLVideoElement>(`video[data-identity="${id}"][data-source="${src}"]`);
      return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
    },
    [identity, source] as const,
  );
}

/** How many video elements show `identity` at all. */
export function videosOf(page: Page, identity: string): Promise<number> {
  return page.evaluate((id) => document.querySelectorAll(`video[data-identity="${id}"]`).length, identity);
}

/** True when an audio element plays a live track from `identity`. */
export function hearing(page: Page, identity: string): Promise<boolean> {
  return page.evaluate((id) => {
    const a = document.querySelector<HTMLAudioElement>(`audio[data-identity="${id}"]`);
    const stream = a?.srcObject as MediaStream | null | undefined;
    return Boolean(stream?.getAudioTracks().some((t) => t.readyState === 'live'));
  }, identity);
}

/** Every media element on the page (video and audio). */
export function mediaElements(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('video, audio').length);
}

/** Clicks a backstage console button, then the button of the same name in the dialog it opens. */
export async function confirmed(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}
