/**
 * Live captions end to end on the server, with the real app, real Redis, real ffmpeg and real
 * pocketsphinx: festival speaks the panel script, the speech is encoded as the recorder page's
 * WebM (VP8 + Opus) and posted chunk by chunk at real-time pace with the recorder's token while a
 * moderator has the event live; an audience socket receives `captions:cue` with the script's
 * words (word error rate printed and bounded) and each cue's delay is measured; a late joiner
 * reads the last lines over REST; the live transcript is stored; captions stop after the end.
 * Refusals: the REST read for visitors and unknown events; an event with recording switched off
 * has no captions and says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptionsCuePayload, CaptionsState } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith } from '../support/people.ts';
import { PANEL_SCRIPT, spokenWav } from '../support/speech.ts';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import { member, ok, type Member } from './stage-support.ts';
import { openRecorderSession, percentile, postAtRealTimePace, recorderChunks } from './captions-support.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-captions-test-'));
let t: TestApp;
let chunks: Buffer[];

beforeAll(async () => {
  const wav = await spokenWav();
  ({ chunks } = recorderChunks(wav, tmp));
  t = await startTestApp({
    recording: { dir: path.join(tmp, 'recordings'), recorder: 'external', pollMs: 200, stopGraceMs: 3000 },
  });
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function captionsOf(slug: string, cookie?: string) {
  const res = await api(t, 'get', `/api/events/${slug}/captions`, cookie ? { cookie } : {});
  return { status: res.status, body: (await res.json()) as CaptionsState & { error?: { code: string } } };
}

describe('live captions from the recording', () => {
  let event: Awaited<ReturnType<typeof makeEvent>>;
  let mod: Member;
  let viewer: Member;
  const received: { at: number; payload: CaptionsCuePayload }[] = [];
  let sessionAt = 0;
  let lastPostedAt = 0;

  it('sends captions of what is said to the audience while the event is live, with their delay measured', async () => {
    event = await makeEvent(t, 'captions-panel', 'scheduled');
    mod = await member(t, 'moderator', event);
    viewer = await member(t, 'audience', event);
    viewer.socket.on('captions:cue', (payload) => received.push({ at: Date.now(), payload }));

    await ok(mod.socket, 'stage:phase', { slug: event.slug, phase: 'live' });
    await expect.poll(() => t.app.recording.recorderToken(event.id), { timeout: 5000 }).not.toBeNull();
    const token = (await t.app.recording.recorderToken(event.id))!;
    const before = Date.now();
    const { status, session } = await openRecorderSession(t.url, token);
    expect(status).toBe(200);
    // The segment's clock starts when the session opened (the server stamps it in between).
    sessionAt = (before + Date.now()) / 2;
    await postAtRealTimePace(t.url, token, session!.segment, chunks, sessionAt, () => (lastPostedAt = Date.now()));

    // Captions came while the audio was still arriving, not only at the end.
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]!.at).toBeLessThan(lastPostedAt);
    for (const r of received) {
      expect(r.payload.slug).toBe(event.slug);
      for (const c of r.payload.cues) {
        expect(c.end).toBeGreaterThanOrEqual(c.start);
        expect(c.text.trim()).not.toBe('');
      }
    }
  }, 60_000);

  it('ends the captions with the event: the last words come, then nothing more', async () => {
    await ok(mod.socket, 'stage:phase', { slug: event.slug, phase: 'ended' });
    await expect.poll(() => t.app.captions.active(event.id), { timeout: 30_000, interval: 100 }).toBe(false);
    const count = received.length;
    // No new segment can start after the end, so no new captions either.
    const token = await t.app.recording.recorderToken(event.id);
    if (token) expect((await openRecorderSession(t.url, token)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1500));
    expect(received.length).toBe(count);

    const cues = received.flatMap((r) => r.payload.cues);
    const heard = cues.map((c) => c.text).join(' ');
    const { wer } = wordErrorRate(PANEL_SCRIPT, heard);
    // Delay as the audience saw it: received minus when the cue's last word was spoken.
    const client = received
      .flatMap((r) => r.payload.cues.map((c) => r.at - (sessionAt + c.end * 1000)))
      .sort((a, b) => a - b);
    const firstWord = received
      .flatMap((r) => r.payload.cues.map((c) => r.at - (sessionAt + c.start * 1000)))
      .sort((a, b) => a - b);
    const stats = t.app.captions.stats(event.id)!;
    console.log(
      `[captions] ${cues.length} cues in ${received.length} batches; WER ${(wer * 100).toFixed(1)}% (live chunks); ` +
        `delay after the last word: server p50 ${stats.p50Ms} ms, max ${stats.maxMs} ms; ` +
        `received p50 ${Math.round(percentile(client, 0.5))} ms, max ${Math.round(client.at(-1)!)} ms; ` +
        `after the first word p50 ${Math.round(percentile(firstWord, 0.5))} ms\n` +
        `[captions] heard: ${heard}`,
    );
    expect(wer).toBeLessThan(0.4);
    expect(stats.cues).toBe(cues.length);
    // The engine waits for a pause (≤ 6 s of audio) and then works: well under 15 s typically.
    expect(stats.p50Ms).toBeGreaterThan(0);
    expect(stats.p50Ms).toBeLessThan(15_000);
    expect(stats.maxMs).toBeLessThan(30_000);
    // The server's figure and what the socket saw agree to within the socket's own trip.
    expect(Math.abs(percentile(client, 0.5) - stats.p50Ms)).toBeLessThan(1000);
  });

  it('lets a late joiner read the last lines, and keeps the live transcript', async () => {
    const late = await personWith(t, 'audience', event.id, 'Late Joiner');
    const { status, body } = await captionsOf(event.slug, late.cookie);
    expect(status).toBe(200);
    const last = received.flatMap((r) => r.payload.cues).slice(-body.lines.length);
    expect(body).toMatchObject({ slug: event.slug, available: true });
    expect(body.lines.length).toBeGreaterThan(0);
    expect(body.lines.length).toBeLessThanOrEqual(4);
    expect(body.lines.map((l) => l.text)).toEqual(last.map((l) => l.text));

    const transcript = await t.app.transcripts.get(event.id);
    expect(transcript?.cues.map((c) => c.text)).toEqual(received.flatMap((r) => r.payload.cues.map((c) => c.text)));
    const starts = transcript!.cues.map((c) => c.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    mod.socket.disconnect();
    viewer.socket.disconnect();
  });
});

describe('refusals and switched-off recording', () => {
  it('refuses the captions read to visitors and for unknown events', async () => {
    const event = await makeEvent(t, 'captions-refusals', 'live');
    const visitor = await personWith(t, 'visitor', event.id);
    expect((await captionsOf(event.slug)).status).toBe(401);
    const v = await captionsOf(event.slug, visitor.cookie);
    expect([401, 403]).toContain(v.status);
    const audience = await personWith(t, 'audience', event.id);
    expect((await captionsOf('no-such-event', audience.cookie)).status).toBe(404);
    expect((await captionsOf('Not A Slug!', audience.cookie)).status).toBe(404);
    // Nothing said yet: available, no lines.
    expect((await captionsOf(event.slug, audience.cookie)).body).toMatchObject({ available: true, lines: [] });
  });

  it('has no captions for an event whose recording is switched off, and says so', async () => {
    const event = await makeEvent(t, 'captions-unrecorded', 'scheduled');
    const organizer = await personWith(t, 'organizer', event.id);
    const res = await api(t, 'put', `/api/admin/events/${event.id}/recording/settings`, {
      cookie: organizer.cookie,
      body: { enabled: false },
    });
    expect(res.status).toBe(200);
    const mod = await member(t, 'moderator', event);
    const viewer = await member(t, 'audience', event);
    const got: CaptionsCuePayload[] = [];
    viewer.socket.on('captions:cue', (p) => got.push(p));
    await ok(mod.socket, 'stage:phase', { slug: event.slug, phase: 'live' });
    await t.app.recording.poll();
    // Not recorded: no recorder token, so no chunks and no captions.
    expect(await t.app.recording.recorderToken(event.id)).toBeNull();
    const { body } = await captionsOf(event.slug, viewer.person.cookie);
    expect(body).toMatchObject({ available: false, lines: [] });
    expect(t.app.captions.active(event.id)).toBe(false);
    expect(got).toEqual([]);
    mod.socket.disconnect();
    viewer.socket.disconnect();
  });
});
