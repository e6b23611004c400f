/**
 * The live stage end to end: real Chromium pages (fake cameras and microphones) on the app's own
 * pages, against the run's real livekit-server, driven only through the UI.
 *
 * 1. Two speakers and a moderator check their devices and join the green room backstage: each
 *    decodes the other two's video. An audience page meanwhile shows the countdown and has no
 *    LiveKit connection at all (no media element, not listed in the room).
 * 2. The moderator goes live (confirming in a dialog): three audience pages each decode both
 *    speakers' video and play their audio; a fourth on a "2g" connection starts in audio only.
 * 3. An audience member raises a hand with a note, the moderator invites them, they join the
 *    stage, and the other audience pages decode their video; sent back, their video disappears.
 * 4. The moderator ends the event: every page shows the ended screen.
 * axe-core checks the backstage and the live stage at 1280 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startTestApp, type TestApp } from '../support/app.ts';
import { personWith, type Person } from '../support/people.ts';
import { axeViolations } from '../support/browser.ts';
import { VIEWPORTS } from '../support/e2e.ts';
import {
  decodedFrames,
  hearing,
  launchStageBrowser,
  mediaElements,
  openAs,
  videosOf,
  type PersonPage,
  confirmed,
} from '../support/stage.ts';

const SLUG = 'stage-e2e';
const MEDIA_MS = 30_000;

/** Polls with room for WebRTC to settle on a busy two-core machine. */
const media = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: MEDIA_MS, interval: 250 });

let t: TestApp;
let browser: Browser;
let rooms: RoomServiceClient;
let eventId: string;
let speakerA: Person;
let speakerB: Person;
let moderator: Person;
const audience: Person[] = [];
const pages: PersonPage[] = [];
let backstage: { a: Page; b: Page; mod: Page };
let watchers: Page[] = [];

async function open(person: Person, path: string, opts?: Parameters<typeof openAs>[4]): Promise<Page> {
  const p = await openAs(browser, t.url, person, path, opts);
  pages.push(p);
  return p.page;
}

const id = (p: Person) => p.userId!;
const inRoom = async () =>
  (await rooms.listParticipants(`event-${eventId}`).catch(() => [])).map((p) => p.identity).sort();

/** Checks devices on a backstage page and joins the green room. */
async function joinGreenRoom(page: Page) {
  // The preview shows the fake camera, and the meter hears the fake microphone's beeps.
  await media(() =>
    page.evaluate(() => document.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0),
  ).toBeGreaterThan(0);
  await media(() =>
    page.evaluate(async () => {
      const m = document.querySelector('meter');
      // The fake microphone beeps once a second: look for a while.
      for (let i = 0; i < 20; i++) {
        if (Number(m?.value ?? 0) > 0) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    }),
  ).toBe(true);
  await expect.poll(() => page.getByLabel('Camera', { exact: true }).locator('option').count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Join the green room' }).click();
  await page.getByRole('heading', { name: 'Green room' }).waitFor();
}

async function axeAt(page: Page, label: string) {
  for (const [name, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    expect(await axeViolations(page), `${label} at ${name}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${label} at ${name}: horizontal overflow`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

beforeAll(async () => {
  const lk = inject('livekit');
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  t = await startTestApp({ web: true });
  const store = t.app.catalogue.store;
  const amina = await store.putSpeaker(
    {
      slug: 'amina-diallo',
      name: 'Amina Diallo',
      title: 'Head of School',
      organization: 'Lycée Kigali',
      country: 'RW',
      bio: '',
      photoUrl: null,
    },
    'organizer',
  );
  const rahul = await store.putSpeaker(
    {
      slug: 'rahul-mehta',
      name: 'Rahul Mehta',
      title: 'Researcher',
      organization: 'Pune Learning Lab',
      country: 'IN',
      bio: '',
      photoUrl: null,
    },
    'organizer',
  );
  const event = await store.putEvent(
    {
      slug: SLUG,
      title: 'Stage end to end',
      description: 'A panel for the stage test.',
      startsAt: new Date(Date.now() + 20 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 80 * 60_000).toISOString(),
      timeZone: 'Asia/Kolkata',
      status: 'scheduled',
      seriesId: null,
      speakerIds: [amina.id, rahul.id],
      location: 'Online',
    },
    'organizer',
  );
  eventId = event.id;
  speakerA = await personWith(t, 'speaker', eventId, 'Amina Diallo');
  speakerB = await personWith(t, 'speaker', eventId, 'Rahul Mehta');
  moderator = await personWith(t, 'moderator', eventId, 'Moderator Mo');
  for (const name of ['Ada Audience', 'Bo Audience', 'Cy Audience', 'Di Slowlink']) {
    audience.push(await personWith(t, 'audience', eventId, name));
  }
  browser = await launchStageBrowser();
});

afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close().catch(() => {});
  if (eventId) await rooms.deleteRoom(`event-${eventId}`).catch(() => {});
  await t?.close();
});

describe('the live stage in Chromium against livekit-server', () => {
  it('green room: two speakers and a moderator see each other; the audience sees the countdown and no track', async () => {
    const early = await open(audience[0]!, `/events/${SLUG}`);
    await early.getByTestId('stage-soon').waitFor();
    await expect.poll(() => early.getByRole('timer').textContent()).toMatch(/^Starts in (19|20) minutes/);
    // The programme: both zones and the speakers with their titles.
    const soon = early.getByTestId('stage-soon');
    await expect.poll(() => soon.textContent()).toContain('Event time');
    await expect.poll(() => soon.textContent()).toContain('Head of School, Lycée Kigali');

    const a = await open(speakerA, `/events/${SLUG}/backstage`);
    const b = await open(speakerB, `/events/${SLUG}/backstage`);
    const mod = await open(moderator, `/events/${SLUG}/backstage`);
    backstage = { a, b, mod };
    for (const page of [a, b, mod]) await joinGreenRoom(page);

    const everyone = [speakerA, speakerB, moderator];
    for (const [page, me] of [
      [a, speakerA],
      [b, speakerB],
      [mod, moderator],
    ] as const) {
      for (const other of everyone.filter((p) => p !== me)) {
        await media(() => decodedFrames(page, id(other))).toBeGreaterThan(0);
        await media(() => hearing(page, id(other))).toBe(true);
      }
    }
    // Tiles carry the catalogue's title and organization for a speaker matched by name.
    await expect
      .poll(() => mod.locator(`figure[data-identity="${id(speakerA)}"]`).textContent())
      .toContain('Head of School, Lycée Kigali');
    await media(() => mod.getByText(/^Connection:/).textContent()).toMatch(/Connection: (excellent|good|poor)/);

    // The audience page: still the countdown, no media, and not in the LiveKit room.
    expect(await early.getByTestId('stage-soon').isVisible()).toBe(true);
    expect(await mediaElements(early)).toBe(0);
    expect(await inRoom()).toEqual([id(speakerA), id(speakerB), id(moderator)].sort());
    watchers = [early];
  }, 150_000);

  it('backstage with the console passes axe at 1280 and 390 px', async () => {
    await axeAt(backstage.mod, 'backstage (moderator)');
    await axeAt(backstage.a, 'backstage (speaker)');
  }, 90_000);

  it('go live: three audience pages decode both speakers and hear them; a 2g page starts audio only', async () => {
    const { mod } = backstage;
    await confirmed(mod, 'Go live');
    await expect.poll(() => mod.getByTestId('phase').getAttribute('data-phase')).toBe('live');

    watchers.push(await open(audience[1]!, `/events/${SLUG}`), await open(audience[2]!, `/events/${SLUG}`));
    for (const page of watchers) {
      await page.getByTestId('stage-live').waitFor({ timeout: MEDIA_MS });
      for (const speaker of [speakerA, speakerB]) {
        await media(() => decodedFrames(page, id(speaker))).toBeGreaterThan(0);
        await media(() => hearing(page, id(speaker))).toBe(true);
      }
      expect(await page.getByRole('switch', { name: 'Audio only' }).isChecked()).toBe(false);
      // Subscribe only: the audience publishes nothing.
      expect(await page.locator(`figure[data-identity="${id(audience[watchers.indexOf(page)]!)}"]`).count()).toBe(0);
    }
    // The count comes from LiveKit's webhooks through Redis.
    await media(() => watchers[0]!.getByTestId('audience-count').textContent()).toMatch(/^3 people watching/);
    await media(() => mod.getByTestId('console-audience').textContent()).toMatch(/^\s*3 watching/);

    // A browser that reports a 2g connection starts in audio only: sound, no video; the switch brings video back.
    const slow = await open(audience[3]!, `/events/${SLUG}`, {
      init: `Object.defineProperty(navigator, 'connection', { configurable: true, get: () => ({ effectiveType: '2g', saveData: false, addEventListener() {}, removeEventListener() {} }) });`,
    });
    await slow.getByTestId('stage-live').waitFor({ timeout: MEDIA_MS });
    const audioOnly = slow.getByRole('switch', { name: 'Audio only' });
    await expect.poll(() => audioOnly.isChecked()).toBe(true);
    await media(() => hearing(slow, id(speakerA))).toBe(true);
    expect(await videosOf(slow, id(speakerA))).toBe(0);
    await audioOnly.uncheck();
    await media(() => decodedFrames(slow, id(speakerA))).toBeGreaterThan(0);
    await pages.find((p) => p.page === slow)!.context.close();
  }, 180_000);

  it('the live stage passes axe at 1280 and 390 px', async () => {
    await axeAt(watchers[0]!, 'live stage (audience)');
  }, 90_000);

  it('a raised hand is invited, publishes, is seen by the audience, and is sent back', async () => {
    const [guestPage, ...others] = watchers as [Page, ...Page[]];
    const guest = audience[0]!;
    const { mod } = backstage;

    await guestPage.getByLabel(/Note for the moderator/).fill('I lead a school in Kigali');
    await guestPage.getByRole('button', { name: 'Raise hand' }).click();
    await guestPage.getByText(/Your hand is raised: “I lead a school in Kigali”/).waitFor();

    const row = mod.locator(`[data-testid="hands"] li[data-user="${id(guest)}"]`);
    await media(() => row.textContent()).toContain('I lead a school in Kigali');
    await row.getByRole('button', { name: /^Invite/ }).click();

    await guestPage.getByRole('button', { name: 'Join the stage' }).click({ timeout: MEDIA_MS });
    await guestPage.getByText('You are on stage').waitFor({ timeout: MEDIA_MS });
    for (const page of [...others, mod]) await media(() => decodedFrames(page, id(guest))).toBeGreaterThan(0);
    await media(() => hearing(others[0]!, id(guest))).toBe(true);

    await mod
      .locator(`[data-testid="console"] li[data-identity="${id(guest)}"]`)
      .getByRole('button', { name: /^Send back/ })
      .click();
    for (const page of [...others, mod]) await media(() => videosOf(page, id(guest))).toBe(0);
    await guestPage.getByText('You are back in the audience').waitFor({ timeout: MEDIA_MS });
    await media(() => videosOf(guestPage, id(guest))).toBe(0);
    await media(() => guestPage.locator(`figure[data-identity="${id(guest)}"]`).count()).toBe(0);
    // LiveKit agrees: no track left from them.
    const info = await rooms.getParticipant(`event-${eventId}`, id(guest));
    expect(info.tracks).toEqual([]);
    expect(info.permission?.canPublish).toBe(false);
  }, 150_000);

  it('end: the room closes and every page shows the ended screen', async () => {
    const { a, b, mod } = backstage;
    await confirmed(mod, 'End event');
    for (const page of watchers) await page.getByTestId('stage-ended').waitFor({ timeout: MEDIA_MS });
    for (const page of [a, b, mod]) await page.getByTestId('backstage-ended').waitFor({ timeout: MEDIA_MS });
    for (const page of [...watchers, a, b, mod]) await media(() => mediaElements(page)).toBe(0);
    expect(await watchers[0]!.getByTestId('stage-ended').textContent()).toContain('replay');
    await media(() => inRoom()).toEqual([]);
  }, 90_000);
});
