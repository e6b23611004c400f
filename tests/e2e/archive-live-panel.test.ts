/**
 * From a live panel to its past-event page, end to end in Chromium against the real livekit-server,
 * with the built-in recorder, ffmpeg and pocketsphinx:
 *
 * - two speakers join backstage with fake cameras; speaker A's fake microphone plays a festival-spoken
 *   script once (speaker B's and everyone else's are silent); the moderator goes live and, later,
 *   ends the panel from the console; an audience question is pinned while it is answered;
 * - the past-event page then plays a video whose duration is within 2 s of the panel's, shows a
 *   transcript whose word error rate against the script is printed and stays under 25%, and a
 *   chapter for the answered question; clicking a transcript line seeks the player there;
 * - search finds a phrase spoken in the panel, and its link opens the replay within 2 s of the
 *   moment it was said (the script's sentence offset plus where speech starts in the recording).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { EventArchive, QaQuestion } from '@colloquy/shared';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { waitFor } from '../support/e2e.ts';
import { api, personWith, type Person } from '../support/people.ts';
import { write } from '../support/qa-live.ts';
import { socketFor } from '../support/sockets.ts';
import { timedSpeech, type TimedSpeech } from '../support/speech.ts';
import { confirmed, openAs, type PersonPage } from '../support/stage.ts';

const SLUG = 'archive-live-panel';
const QUESTION = 'How do teachers learn from each other when the network is weak?';
const PHRASE = 'radio and text messages';

let t: TestApp;
let speech: TimedSpeech;
let voiced: Browser;
let quiet: Browser;
let eventId: string;
let speakerA: Person;
let speakerB: Person;
let moderator: Person;
let visitor: Person;
const pages: PersonPage[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-archive-e2e-'));

const STAGE_FLAGS = ['--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'];
const fakeMic = (wav: string) => [
  '--use-fake-device-for-media-stream=fps=15',
  `--use-file-for-fake-audio-capture=${wav}%noloop`,
];

/** Checks devices backstage and joins the green room (or the live stage). */
async function joinBackstage(browser: Browser, person: Person): Promise<Page> {
  const p = await openAs(browser, t.url, person, `/events/${SLUG}/backstage`);
  pages.push(p);
  const join = p.page.getByRole('button', { name: 'Join the green room' });
  await expect.poll(() => join.isEnabled(), { timeout: 30_000 }).toBe(true);
  await join.click();
  return p.page;
}

/** Seconds into `file` where sound first rises above silence. */
function speechOnset(file: string): number {
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-i', file, '-vn', '-af', 'silencedetect=noise=-40dB:d=0.5', '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const end = /silence_end: ([\d.]+)/.exec(r.stderr);
  const start = /silence_start: ([\d.]+)/.exec(r.stderr);
  // Silence from 0 that ends at the first word, or no leading silence at all.
  return start && Number(start[1]) < 0.5 && end ? Number(end[1]) : 0;
}

beforeAll(async () => {
  speech = await timedSpeech();
  const silence = path.join(tmp, 'silence.wav');
  spawnSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'anullsrc=r=48000:cl=mono',
    '-t',
    '5',
    silence,
  ]);
  t = await startTestApp({ web: true, recording: { recorder: 'chromium', pollMs: 1000 } });
  const store = t.app.catalogue.store;
  const a = await store.putSpeaker(
    {
      slug: 'nadia-haddad',
      name: 'Nadia Haddad',
      title: 'Principal',
      organization: 'Beirut Learning Hub',
      country: 'LB',
      bio: '',
      photoUrl: null,
    },
    'organizer',
  );
  const b = await store.putSpeaker(
    {
      slug: 'kofi-mensah',
      name: 'Kofi Mensah',
      title: 'Teacher educator',
      organization: 'Accra Teachers Network',
      country: 'GH',
      bio: '',
      photoUrl: null,
    },
    'organizer',
  );
  const event = await store.putEvent(
    {
      slug: SLUG,
      title: 'Living Lab: learning when the network is weak',
      description: 'A short panel for the archive test.',
      startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 65 * 60_000).toISOString(),
      timeZone: 'Asia/Qatar',
      status: 'scheduled',
      seriesId: null,
      speakerIds: [a.id, b.id],
      location: 'Online',
    },
    'organizer',
  );
  eventId = event.id;
  speakerA = await personWith(t, 'speaker', eventId, 'Nadia Haddad');
  speakerB = await personWith(t, 'speaker', eventId, 'Kofi Mensah');
  moderator = await personWith(t, 'moderator', eventId, 'Moderator Mariam');
  visitor = { role: 'visitor', userId: null, cookie: '' };
  voiced = await launchBrowser([...STAGE_FLAGS, ...fakeMic(speech.wav)]);
  quiet = await launchBrowser([...STAGE_FLAGS, ...fakeMic(silence)]);
}, 120_000);

afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await voiced?.close().catch(() => {});
  await quiet?.close().catch(() => {});
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a live panel becomes a past-event page', () => {
  let archive: EventArchive;
  let panelSeconds = 0;

  it('records the panel live and publishes its archive when it ends', async () => {
    const mod = await joinBackstage(quiet, moderator);
    await confirmed(mod, 'Open green room');
    await joinBackstage(quiet, speakerB);
    // The green room gives the recorder time to load its page, so recording starts with the live moment.
    await waitFor('the recorder standing by', 60_000, async () =>
      (await t.app.recording.recorderStandingBy(eventId)) ? true : undefined,
    );
    await confirmed(mod, 'Go live');
    const liveAt = Date.now();
    // Speaker A arrives once the panel is live: the script plays from its start, once.
    await joinBackstage(voiced, speakerA);
    await waitFor('the recorder', 60_000, async () => {
      const r = await t.app.recording.getRecording(eventId);
      return r && r.segments[0] && r.segments[0].chunks > 0 ? r : undefined;
    });

    // An audience question, pinned while it is being answered.
    const asker = await socketFor(t.url, (await personWith(t, 'audience', eventId, 'Lina')).cookie);
    const modSocket = await socketFor(t.url, moderator.cookie);
    const asked = await write<QaQuestion>(asker, 'qa:ask', { slug: SLUG, text: QUESTION });
    if (!asked.ok) throw new Error(JSON.stringify(asked));
    await new Promise((r) => setTimeout(r, 6000));
    expect((await write(modSocket, 'qa:pin', { slug: SLUG, questionId: asked.data.id })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 5000));
    expect((await write(modSocket, 'qa:answered', { slug: SLUG, questionId: asked.data.id })).ok).toBe(true);
    asker.disconnect();
    modSocket.disconnect();

    // The script is over (it started a few seconds after going live): end the panel.
    const remaining = liveAt + (speech.seconds + 6) * 1000 - Date.now();
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    await confirmed(mod, 'End event');
    panelSeconds = (Date.now() - liveAt) / 1000;

    archive = await waitFor('the archive with its transcript', 240_000, async () => {
      const res = await api(t, 'get', `/api/events/${SLUG}/archive`);
      if (!res.ok) return undefined;
      const a = (await res.json()) as EventArchive;
      return a.recording && a.transcript && a.transcript.cues.length > 0 ? a : undefined;
    });
    const said = archive.transcript!.cues.map((c) => c.text).join(' ');
    const wer = wordErrorRate(speech.sentences.map((s) => s.text).join(' '), said);
    console.log(
      `panel ${panelSeconds.toFixed(1)} s, video ${archive.recording!.durationSeconds.toFixed(1)} s; ` +
        `WER ${(wer.wer * 100).toFixed(1)}% (${wer.substitutions} sub, ${wer.deletions} del, ${wer.insertions} ins of ${wer.referenceWords}); ` +
        `transcript: "${said}"`,
    );
    expect(Math.abs(archive.recording!.durationSeconds - panelSeconds)).toBeLessThan(2);
    expect(wer.wer).toBeLessThan(0.25);
    const chapter = archive.chapters.find((c) => c.kind === 'question');
    expect(chapter?.refId).toBe(asked.data.id);
    expect(archive.questions.map((q) => q.text)).toContain(QUESTION);
  }, 420_000);

  it('plays the replay, and a click on a transcript line seeks the player there', async () => {
    const p = await openAs(quiet, t.url, visitor, `/events/${SLUG}`);
    pages.push(p);
    const video = p.page.locator('video').first();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
    expect(Math.abs(duration - panelSeconds)).toBeLessThan(2);
    await p.page
      .getByRole('region', { name: /Chapters/i })
      .getByText(QUESTION.slice(0, 30))
      .first()
      .waitFor();

    const cue = archive.transcript!.cues[Math.floor(archive.transcript!.cues.length / 2)]!;
    await p.page.locator(`button.cue[data-start="${cue.start}"]`).click();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(cue.start - 1);
    expect(Math.abs((await video.evaluate((v: HTMLVideoElement) => v.currentTime)) - cue.start)).toBeLessThan(1.5);
  }, 120_000);

  it('finds a phrase from the panel in search, and its link opens the replay where it was said', async () => {
    const mp4 = path.join(tmp, 'panel.mp4');
    fs.writeFileSync(mp4, Buffer.from(await (await fetch(t.url + archive.recording!.mp4Url)).arrayBuffer()));
    const i = speech.sentences.findIndex((s) => s.text.includes(PHRASE));
    const sentence = speech.sentences[i]!;
    const length = (speech.sentences[i + 1]?.start ?? speech.seconds) - sentence.start;
    // Speech starts in the recording where the first sentence does; within its sentence, the phrase
    // starts in proportion to the words before it.
    const words = sentence.text.split(/\s+/);
    const before = sentence.text.slice(0, sentence.text.indexOf(PHRASE)).split(/\s+/).filter(Boolean).length;
    const said = speechOnset(mp4) + (sentence.start - speech.sentences[0]!.start) + (before / words.length) * length;

    await t.app.search.ready();
    const p = await openAs(quiet, t.url, visitor, `/search?q=${encodeURIComponent(PHRASE)}`);
    pages.push(p);
    const link = p.page.locator(`a[href*="/events/${SLUG}?t="]`).first();
    await link.waitFor({ timeout: 15_000 });
    const t0 = Number(new URL((await link.getAttribute('href'))!, t.url).searchParams.get('t'));
    console.log(`"${PHRASE}" was said at ${said.toFixed(1)} s; search links to ${t0} s`);
    await link.click();
    await p.page.waitForURL(/\?t=/);
    const video = p.page.locator('video').first();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(said - 2);
    expect(Math.abs((await video.evaluate((v: HTMLVideoElement) => v.currentTime)) - said)).toBeLessThan(2);
  }, 120_000);
});
