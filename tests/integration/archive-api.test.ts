/**
 * The past-event archive (GET /api/events/:slug/archive) assembled from real module data: a
 * recording made by the recording module's ingestFile from an ffmpeg-generated file (testsrc +
 * sine), a transcript stored through the transcripts module, questions asked, pinned and answered
 * and polls launched, voted, closed and published through real Socket.IO events, and the event
 * ended through the stage's lifecycle event. The app's clock is the test's, so every moment
 * (recording start, pins, poll launches) is known and the chapters' seconds can be checked exactly.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventArchive, Poll, QaQuestion, RecorderSession } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import { ok, member, type Member } from './polls-support.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-archive-test-'));
let clock = Date.now();
const T0 = clock;
/** Sets the app's clock to T0 + `s` seconds. */
const setClock = (s: number) => {
  clock = T0 + s * 1000;
};

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let moderator: Member;
let audience: Member;
let other: Member;

function testVideo(seconds: number): string {
  const file = path.join(tmp, `src-${seconds}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=15:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file],
  ]);
  return file;
}

/** A live-style WebM (VP8/Opus, 1 s clusters) cut into one chunk per second, as the recorder sends it. */
function webmChunks(name: string, seconds: number): Buffer[] {
  const file = path.join(tmp, `${name}.webm`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=15:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15'],
    ...['-c:a', 'libopus', '-f', 'webm', '-cluster_time_limit', '1000', file],
  ]);
  const all = fs.readFileSync(file);
  const size = Math.ceil(all.length / seconds);
  return Array.from({ length: seconds }, (_, i) => all.subarray(i * size, Math.min(all.length, (i + 1) * size)));
}

const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });

async function openSession(token: string): Promise<number> {
  const res = await fetch(`${t.url}/api/recorder/session`, { method: 'POST', headers: bearerOf(token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as RecorderSession).segment;
}

function postChunk(token: string, segment: number, seq: number, body: Uint8Array) {
  return fetch(`${t.url}/api/recorder/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { 'content-type': 'video/webm', ...bearerOf(token) },
    body: body as Uint8Array<ArrayBuffer>,
  });
}

/** Calls `read` until `done` holds for its result (or throws after `ms`). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`not done in ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Resolves once the recording's after-processing step (the app's transcription of the recording)
 * has run for `eventId`, so a transcript the test stores afterwards is not replaced by it.
 */
function afterProcessingOf(app: TestApp['app'], eventId: string): Promise<void> {
  const original = app.recording.processor.afterProcessing;
  return new Promise((resolve) => {
    app.recording.setAfterProcessing(async (id, files) => {
      await original?.(id, files);
      if (id === eventId) resolve();
    });
  });
}

async function archiveOf(slug: string) {
  const res = await api(t, 'get', `/api/events/${slug}/archive`);
  return { status: res.status, body: (await res.json()) as EventArchive & { error?: { code: string } } };
}

beforeAll(async () => {
  t = await startTestApp({
    now: () => new Date(clock),
    recording: { dir: path.join(tmp, 'recordings'), recorder: 'external', pollMs: 200, stopGraceMs: 500 },
  });
  event = await makeEvent(t, 'archive-panel', 'scheduled');
  [moderator, audience, other] = await Promise.all([
    member(t, 'moderator', event.id, 'Mo Derator'),
    member(t, 'audience', event.id, 'Amina Asks'),
    member(t, 'audience', event.id, 'Omar Votes'),
  ]);
});

afterAll(async () => {
  for (const m of [moderator, audience, other]) m?.socket.disconnect();
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('before the event has ended', () => {
  it('answers 404 not_found for a scheduled and for a live event, and for an unknown slug', async () => {
    const scheduled = await archiveOf(event.slug);
    expect(scheduled.status).toBe(404);
    expect(scheduled.body.error?.code).toBe('not_found');
    const live = await makeEvent(t, 'archive-still-live', 'live');
    expect((await archiveOf(live.slug)).status).toBe(404);
    expect((await archiveOf('no-such-event')).status).toBe(404);
  });
});

describe('an ended panel', () => {
  let q1: QaQuestion;
  let q2: QaQuestion;
  let shown: Poll;
  let hidden: Poll;

  beforeAll(async () => {
    const [first, second] = [webmChunks('a', 3), webmChunks('b', 3)];
    // Going live starts the recording at T0 (the stage tells the recording module).
    const processed = afterProcessingOf(t.app, event.id);
    setClock(0);
    await ok(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'live' });
    const token = await until(
      () => t.app.recording.recorderToken(event.id),
      (x) => x !== null,
    );
    // The recorder sends 3 one-second chunks, then restarts at 5 s (a new segment) and sends 3 more:
    // the video is 6 s long, and moments after the restart are 2 s earlier in it than on the clock.
    const segment0 = await openSession(token!);
    for (const [seq, c] of first.entries()) expect((await postChunk(token!, segment0, seq, c)).status).toBe(200);

    setClock(1);
    shown = await ok<Poll>(moderator.socket, 'polls:create', {
      slug: event.slug,
      kind: 'single',
      question: 'Do your pupils have a phone at home?',
      options: ['Yes', 'No'],
    });
    hidden = await ok<Poll>(moderator.socket, 'polls:create', {
      slug: event.slug,
      kind: 'rating',
      question: 'Rate it',
    });
    await ok(moderator.socket, 'polls:open', { slug: event.slug, pollId: shown.id });
    await ok(moderator.socket, 'polls:open', { slug: event.slug, pollId: hidden.id });
    q1 = await ok<QaQuestion>(audience.socket, 'qa:ask', {
      slug: event.slug,
      text: 'How do radio lessons reach pupils?',
    });
    q2 = await ok<QaQuestion>(audience.socket, 'qa:ask', {
      slug: event.slug,
      text: 'What does a school leader do first when the network fails for a whole week?',
      anonymous: true,
    });
    await ok<QaQuestion>(other.socket, 'qa:ask', { slug: event.slug, text: 'Never answered, this one?' });
    await ok(other.socket, 'qa:vote', { slug: event.slug, questionId: q1.id, up: true });
    await ok(audience.socket, 'polls:vote', { slug: event.slug, pollId: shown.id, choices: ['o1'] });
    await ok(other.socket, 'polls:vote', { slug: event.slug, pollId: shown.id, choices: ['o2'] });
    await ok(other.socket, 'polls:vote', { slug: event.slug, pollId: hidden.id, choices: ['4'] });

    setClock(2.4);
    await ok(moderator.socket, 'qa:pin', { slug: event.slug, questionId: q1.id });

    // 4 s: the recorder is restarting (between segments).
    setClock(4);
    await ok(moderator.socket, 'polls:close', { slug: event.slug, pollId: shown.id });
    await ok(moderator.socket, 'polls:close', { slug: event.slug, pollId: hidden.id });
    await ok(moderator.socket, 'polls:publish', { slug: event.slug, pollId: shown.id, published: true });

    setClock(5);
    const segment1 = await openSession(token!);
    expect(segment1).toBe(1);
    for (const [seq, c] of second.entries()) expect((await postChunk(token!, segment1, seq, c)).status).toBe(200);

    setClock(6);
    await ok(moderator.socket, 'qa:pin', { slug: event.slug, questionId: q2.id });
    setClock(6.5);
    await ok(moderator.socket, 'qa:pin', { slug: event.slug, questionId: q1.id });
    await ok(moderator.socket, 'qa:answered', { slug: event.slug, questionId: q1.id });
    // After the recording's end: clamped to the video's duration.
    setClock(30);
    await ok(moderator.socket, 'qa:pin', { slug: event.slug, questionId: q2.id });

    setClock(31);
    await ok(moderator.socket, 'stage:phase', { slug: event.slug, phase: 'ended' });
    // The recorder's grace period passes, the processing job runs and the recording is transcribed;
    // then an organizer's corrected transcript replaces the machine one.
    await processed;
    expect((await t.app.recording.getRecording(event.id))?.status).toBe('ready');
    await t.app.transcripts.replace(
      event.id,
      [
        { start: 0.5, end: 2, text: 'Welcome to the panel.', words: [{ start: 0.5, end: 1, text: 'welcome' }] },
        { start: 2.4, end: 5.5, text: 'Radio lessons reach pupils <everywhere> & always.' },
      ],
      { source: 'pocketsphinx' },
    );
  });

  it('is public once ended and holds the ready recording with its files', async () => {
    const { status, body } = await archiveOf(event.slug);
    expect(status).toBe(200);
    expect(body.slug).toBe(event.slug);
    expect(body.processing).toBeNull();
    expect(body.recording).toMatchObject({ status: 'ready' });
    expect(body.recording!.durationSeconds).toBeGreaterThan(5.5);
    expect(body.recording!.durationSeconds).toBeLessThan(6.5);
    for (const url of [body.recording!.mp4Url, body.recording!.hlsUrl, body.recording!.posterUrl]) {
      const res = await fetch(t.url + url);
      expect(res.status, url).toBe(200);
    }
  });

  it('lists the answered questions with the seconds they were answered at, and no anonymous author', async () => {
    const { body } = await archiveOf(event.slug);
    expect(body.questions.map((q) => q.id)).toEqual([q1.id, q2.id]);
    const [a1, a2] = body.questions;
    // 2.4 s on the clock is 2.4 s in; 6.5 s is 1.5 s into the second segment, which starts at 3 s.
    expect(a1).toMatchObject({ text: q1.text, author: 'Amina Asks', votes: 1, answeredAt: [2.4, 4.5] });
    expect(a2!.author).toBeNull();
    expect(a2!.answeredAt[0]).toBe(4);
    // Pinned 24 s after the recording ended: the end of the video.
    expect(a2!.answeredAt[1]).toBeGreaterThan(5.5);
    expect(a2!.answeredAt[1]).toBeLessThanOrEqual(body.recording!.durationSeconds);
  });

  it('has the published closed poll with its results, and not the unpublished one', async () => {
    const { body } = await archiveOf(event.slug);
    expect(body.polls.map((p) => p.id)).toEqual([shown.id]);
    expect(body.polls[0]!.results).toEqual({ voters: 2, counts: { o1: 1, o2: 1 } });
  });

  it('makes chapters: the opening, each answered question and each poll, in time order', async () => {
    const { body } = await archiveOf(event.slug);
    expect(body.chapters).toEqual([
      { start: 0, title: 'Opening', kind: 'opening' },
      { start: 1, title: 'Poll: Do your pupils have a phone at home?', kind: 'poll', refId: shown.id },
      { start: 2.4, title: q1.text, kind: 'question', refId: q1.id },
      {
        start: 4,
        title: expect.stringMatching(/^What does a school leader do first when the network fails.*…$/),
        kind: 'question',
        refId: q2.id,
      },
    ]);
    expect(body.chapters[3]!.title.length).toBeLessThanOrEqual(64);
  });

  it('carries the transcript cues (no word timings) and working VTT and text downloads', async () => {
    const { body } = await archiveOf(event.slug);
    expect(body.transcript!.language).toBe('en');
    expect(body.transcript!.cues).toEqual([
      { id: 'c1', start: 0.5, end: 2, text: 'Welcome to the panel.' },
      { id: 'c2', start: 2.4, end: 5.5, text: 'Radio lessons reach pupils <everywhere> & always.' },
    ]);
    const vtt = await fetch(t.url + body.transcript!.vttUrl);
    expect(vtt.status).toBe(200);
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    expect(await vtt.text()).toMatch(/^WEBVTT/);
    const txt = await fetch(t.url + body.transcript!.txtUrl);
    expect(txt.status).toBe(200);
    expect(await txt.text()).toContain('Welcome to the panel.');
  });
});

describe('an ended event whose recording is still being prepared', () => {
  it('shows the processing progress, then the recording once it is ready', async () => {
    const e = await makeEvent(t, 'archive-processing', 'ended');
    const empty = await archiveOf(e.slug);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ recording: null, processing: null, transcript: null, questions: [], polls: [] });
    expect(empty.body.chapters).toEqual([{ start: 0, title: 'Opening', kind: 'opening' }]);

    const file = testVideo(30);
    let settled = false;
    const done = t.app.recording.ingestFile(e.id, file).finally(() => (settled = true));
    const seen: number[] = [];
    for (;;) {
      const { body } = await archiveOf(e.slug);
      if (body.recording || settled) break;
      // ingestFile registers the file a few Redis round trips after the call: until then the page
      // has nothing to show, but once processing has shown it must stay until the recording is ready.
      if (seen.length > 0) expect(body.processing).not.toBeNull();
      if (body.processing) seen.push(body.processing.progress);
      await new Promise((r) => setTimeout(r, 50));
    }
    await done;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p >= 0 && p < 100)).toBe(true);
    const after = (await archiveOf(e.slug)).body;
    expect(after.processing).toBeNull();
    expect(after.recording).not.toBeNull();
  });
});
