/**
 * The demo archive job end to end on one short panel (about 20 s of festival speech): the media is
 * spoken and drawn, ingested through the recording module's processing, transcribed by
 * pocketsphinx through the archive pipeline, given its question and poll, and indexed. Checked
 * through the public API, as the past-event page and the search page read it. A second run must
 * reuse everything and change nothing; after a reload of the demo (new event ids) the cached
 * media is fed through again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventArchive, SearchResponse } from '@colloquy/shared';
import { CatalogueStore } from '../../server/src/events/store.ts';
import { loadDemo } from '../../server/src/demo/load.ts';
import { cachedMedia, type PanelTimeline } from '../../server/src/demo/archive/media.ts';
import { DemoArchives, type DemoProgress, type PanelReport } from '../../server/src/demo/archive/prepare.ts';
import { shortDemoScript, spokenText } from '../../server/src/demo/archive/scripts.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-demo-archive-'));
const cacheDir = path.join(tmp, 'demo-media');
const script = shortDemoScript();
const slug = script.slug;

let t: TestApp;
let progress: DemoProgress[] = [];

function job(scripts = [script]): DemoArchives {
  return new DemoArchives({
    redis: t.redis,
    catalogue: t.app.catalogue.store,
    live: t.app.live,
    recording: t.app.recording,
    transcripts: t.app.transcripts,
    pipeline: t.app.archivePipeline,
    search: t.app.search,
    log: createLogger('silent'),
    cacheDir,
    scripts,
    onProgress: (p) => progress.push(p),
  });
}

async function archive(): Promise<EventArchive> {
  const res = await api(t, 'get', `/api/events/${slug}/archive`);
  expect(res.status).toBe(200);
  return (await res.json()) as EventArchive;
}

/** What a second run must leave exactly as it was. */
async function fingerprint() {
  const event = (await t.app.catalogue.store.events.getBySlug(slug))!;
  const rec = await t.app.recording.store.forEvent(event.id);
  const transcript = await t.app.transcripts.get(event.id);
  const qa = await t.app.live.snapshot(event, 'qa', { role: 'visitor', userId: null });
  const polls = await t.app.live.snapshot(event, 'polls', { role: 'visitor', userId: null });
  return {
    recording: { id: rec?.id, runs: rec?.runs, startedAt: rec?.startedAt, updatedAt: rec?.updatedAt },
    transcript: { version: transcript?.version, updatedAt: transcript?.updatedAt },
    qaVersion: qa.version,
    pollsVersion: polls.version,
  };
}

let first: PanelReport[];
let timeline: PanelTimeline;
let firstRunSeconds = 0;

beforeAll(async () => {
  t = await startTestApp({ demo: true, recording: { dir: path.join(tmp, 'recordings'), pollMs: 200 } });
  // An organizer's event is never given a demo archive, even when a script names it.
  await makeEvent(t, 'organizer-own-panel', 'ended');
  const started = performance.now();
  first = await job([script, shortDemoScript('organizer-own-panel')]).prepare();
  firstRunSeconds = (performance.now() - started) / 1000;
  timeline = cachedMedia(cacheDir, first[0]!.hash!)!.timeline;
}, 240_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a short demo panel prepared end to end', () => {
  it('is ready, made fresh, and the organizer event was skipped', () => {
    console.log(`demo archive (short panel, ${timeline.durationSeconds} s): first run ${firstRunSeconds.toFixed(1)} s`);
    // The app wires the archive pipeline, so the transcript is its work, not the job's.
    expect(first[0]).toMatchObject({ slug, outcome: 'ready', mediaCached: false, transcribedBy: 'pipeline' });
    expect(first[1]).toMatchObject({ slug: 'organizer-own-panel', outcome: 'skipped' });
    expect(timeline.durationSeconds).toBeGreaterThan(14);
    expect(timeline.durationSeconds).toBeLessThan(26);
  });

  it('reported progress through processing and transcription', () => {
    const steps = new Set(progress.filter((p) => p.slug === slug).map((p) => p.step));
    expect([...steps]).toEqual(
      expect.arrayContaining(['making the recording', 'processing the recording', 'transcribing', 'ready']),
    );
    const processing = progress.filter((p) => p.step === 'processing the recording' && p.percent !== null);
    expect(processing.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.panels === 2 && (p.percent === null || (p.percent >= 0 && p.percent <= 100)))).toBe(
      true,
    );
  });

  it('has a ready recording as long as the spoken audio, with its files served', async () => {
    const a = await archive();
    expect(a.recording?.status).toBe('ready');
    expect(Math.abs(a.recording!.durationSeconds - timeline.durationSeconds)).toBeLessThan(0.5);
    for (const url of [a.recording!.mp4Url, a.recording!.hlsUrl, a.recording!.posterUrl]) {
      const res = await fetch(t.url + url);
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
    expect(a.processing).toBeNull();
  });

  it('has a pocketsphinx transcript close to the script', async () => {
    const a = await archive();
    expect(a.transcript?.cues.length).toBeGreaterThan(1);
    const heard = a.transcript!.cues.map((c) => c.text).join(' ');
    const { wer } = wordErrorRate(spokenText(script), heard);
    console.log(`demo archive transcript WER ${(wer * 100).toFixed(1)}%: ${heard}`);
    expect(wer).toBeLessThan(0.25);
    expect(first[0]!.wer).toBeCloseTo(wer, 5);
  });

  it('has the answered question at the second the moderator reads it, with its chapter', async () => {
    const a = await archive();
    expect(a.questions).toHaveLength(1);
    const q = a.questions[0]!;
    expect(q).toMatchObject({ text: script.questions[0]!.text, author: 'Samira from Casablanca', votes: 3 });
    const asked = timeline.turns[script.questions[0]!.asked]!.start;
    expect(q.answeredAt).toHaveLength(1);
    expect(Math.abs(q.answeredAt[0]! - asked)).toBeLessThanOrEqual(0.1);
    expect(a.chapters).toContainEqual(
      expect.objectContaining({ kind: 'question', refId: q.id, start: q.answeredAt[0] }),
    );
  });

  it('has a closed, published poll with its results and a chapter at its launch', async () => {
    const a = await archive();
    expect(a.polls).toHaveLength(1);
    const p = a.polls[0]!;
    expect(p).toMatchObject({ state: 'closed', published: true, question: 'Who should be at the table first?' });
    expect(p.results).toEqual({ voters: 10, counts: { o1: 4, o2: 6 } });
    const opened = timeline.turns[script.polls[0]!.opens]!.start;
    const chapter = a.chapters.find((c) => c.kind === 'poll');
    expect(chapter?.refId).toBe(p.id);
    expect(Math.abs(chapter!.start - opened)).toBeLessThanOrEqual(0.1);
  });

  it('is found by search at the moment the phrase was said', async () => {
    await t.app.search.ready();
    const res = await api(t, 'get', `/api/search?q=${encodeURIComponent('saturday morning')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SearchResponse;
    expect(body.matched).toBe('all');
    const hit = body.hits.find((h) => h.kind === 'transcript' && h.event.slug === slug);
    expect(hit, JSON.stringify(body.hits)).toBeDefined();
    const said = timeline.turns[2]!.start;
    expect(Math.abs(hit!.at! - said)).toBeLessThanOrEqual(2);
    expect(hit!.href).toBe(`/events/${slug}?t=${hit!.at}`);
  });

  it('finds the answered question in search, linked to its moment', async () => {
    const res = await api(t, 'get', `/api/search?q=${encodeURIComponent('families stay involved')}`);
    const body = (await res.json()) as SearchResponse;
    const hit = body.hits.find((h) => h.kind === 'question' && h.event.slug === slug);
    expect(hit, JSON.stringify(body.hits)).toBeDefined();
    expect(Math.abs(hit!.at! - timeline.turns[1]!.start)).toBeLessThanOrEqual(1);
  });
});

describe('running again', () => {
  it('reuses everything and changes nothing', async () => {
    const before = await fingerprint();
    const mediaMtime = fs.statSync(path.join(cacheDir, `${first[0]!.hash}.mp4`)).mtimeMs;
    progress = [];
    const started = performance.now();
    const again = await job().prepare();
    const seconds = (performance.now() - started) / 1000;
    console.log(`demo archive second run: ${seconds.toFixed(2)} s`);
    expect(again).toEqual([expect.objectContaining({ slug, outcome: 'unchanged', hash: first[0]!.hash })]);
    expect(await fingerprint()).toEqual(before);
    expect(fs.statSync(path.join(cacheDir, `${first[0]!.hash}.mp4`)).mtimeMs).toBe(mediaMtime);
    expect(progress).toEqual([]);
    expect(seconds).toBeLessThan(2);
  });

  it('after a reload of the demo (new event ids) feeds the cached media through again', async () => {
    const oldId = (await t.app.catalogue.store.events.getBySlug(slug))!.id;
    await loadDemo(new CatalogueStore(t.redis));
    const event = (await t.app.catalogue.store.events.getBySlug(slug))!;
    expect(event.id).not.toBe(oldId);
    const again = await job().prepare();
    expect(again[0]).toMatchObject({ slug, outcome: 'ready', mediaCached: true, hash: first[0]!.hash });
    const a = await archive();
    expect(a.recording?.status).toBe('ready');
    expect(a.transcript?.cues.length).toBeGreaterThan(1);
    expect(a.questions).toHaveLength(1);
    expect(a.polls).toHaveLength(1);
    // The job's record of the removed event is gone.
    expect(await t.redis.hGet('cq:demo-archive', oldId)).toBeNull();
    expect(await t.redis.hGet('cq:demo-archive', event.id)).toContain(first[0]!.hash!);
  }, 120_000);
});
