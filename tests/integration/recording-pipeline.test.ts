/**
 * Recording, server side, against real Redis, the real app and real ffmpeg: the recorder's
 * endpoints refuse what they must (no or bad token, event not live, bad or skipped sequence,
 * oversized or empty chunk) and store nothing then; a re-sent chunk is acknowledged once; a real
 * WebM (ffmpeg testsrc + sine, cut into ~1 s chunks like MediaRecorder's) becomes an MP4
 * (H.264/AAC), HLS renditions, a poster and 16 kHz WAV, with progress reaching 100; "run again",
 * the per-event switch, ingestFile, and the media routes (ranges, no traversal).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import { RECORDING_LIMITS, type RecorderSession, type RecordingAdminView } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { probe } from '../../server/src/recording/ffmpeg.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-rec-test-'));
const recordingsDir = path.join(tmp, 'recordings');
let t: TestApp;
let organizer: Person;
let event: Awaited<ReturnType<typeof makeEvent>>;
let chunks: Buffer[];
/** The recorder token of `event`'s recording. */
let token: string;
const SECONDS = 6;

/** A live-style WebM (VP8/Opus, 1 s clusters) cut into `n` byte ranges, as a recorder would send it. */
function webmChunks(seconds: number, n: number): Buffer[] {
  const file = path.join(tmp, `src-${seconds}.webm`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=640x360:rate=15:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-g', '15'],
    ...['-c:a', 'libopus', '-f', 'webm', '-cluster_time_limit', '1000', file],
  ]);
  const all = fs.readFileSync(file);
  const size = Math.ceil(all.length / n);
  return Array.from({ length: n }, (_, i) => all.subarray(i * size, Math.min(all.length, (i + 1) * size)));
}

const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });

function postChunk(token: string | null, segment: number | string, seq: number | string, body: Uint8Array) {
  return fetch(`${t.url}/api/recorder/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { 'content-type': 'video/webm', ...(token ? bearerOf(token) : {}) },
    body: body as Uint8Array<ArrayBuffer>,
  });
}

async function openSession(token: string) {
  return fetch(`${t.url}/api/recorder/session`, { method: 'POST', headers: bearerOf(token) });
}

const segFile = (eventId: string, recId: string, n: number) =>
  path.join(recordingsDir, eventId, recId, `seg-${String(n).padStart(5, '0')}.webm`);
const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);

async function adminView(eventId: string): Promise<RecordingAdminView> {
  const res = await api(t, 'get', `/api/admin/events/${eventId}/recording`, { cookie: organizer.cookie });
  expect(res.status).toBe(200);
  return (await res.json()) as RecordingAdminView;
}

/** Polls the organizer's view until `done`, collecting the progress values seen. */
async function until(eventId: string, done: (v: RecordingAdminView) => boolean, ms = 90_000) {
  const seen: number[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await adminView(eventId);
    if (v.recording) seen.push(v.recording.progress);
    if (done(v)) return { view: v, seen };
    if (Date.now() > deadline) throw new Error(`not done in ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  chunks = webmChunks(SECONDS, SECONDS);
  t = await startTestApp({ recording: { dir: recordingsDir, recorder: 'external', pollMs: 200, stopGraceMs: 1000 } });
  event = await makeEvent(t, 'rec-pipeline', 'live');
  organizer = await personWith(t, 'organizer', event.id);
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the recorder endpoints', () => {
  let session: RecorderSession;

  it('starts a recording when the event goes live, and gives a hidden, subscribe-only LiveKit token', async () => {
    await t.app.recording.hooks.onLive(event.id);
    token = (await t.app.recording.recorderToken(event.id))!;
    expect(token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
    const res = await openSession(token);
    expect(res.status).toBe(200);
    session = (await res.json()) as RecorderSession;
    expect(session.segment).toBe(0);
    expect(session.maxChunkBytes).toBe(RECORDING_LIMITS.maxChunkBytes);
    const { apiKey, apiSecret } = inject('livekit');
    const claims = await new TokenVerifier(apiKey, apiSecret).verify(session.livekit.token);
    expect(claims.video).toMatchObject({
      room: `event-${event.id}`,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
      hidden: true,
      recorder: true,
    });
    expect(claims.video?.canPublishSources ?? []).toEqual([]);
  });

  it('refuses chunks without a valid recorder token, and stores nothing', async () => {
    const file = segFile(event.id, session.recordingId, 0);
    const bad = [
      null,
      'nonsense',
      `${session.recordingId}.AAAA`,
      token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'),
      // A well-formed token for a recording that does not exist.
      `00000000-0000-7000-8000-000000000000.${token.split('.')[1]}`,
    ];
    for (const b of bad) {
      const res = await postChunk(b, 0, 0, chunks[0]!);
      expect(res.status, String(b)).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    // A session cookie is not a recorder token, even an organizer's.
    const asOrganizer = await fetch(`${t.url}/api/recorder/segments/0/chunks/0`, {
      method: 'POST',
      headers: { cookie: organizer.cookie, 'content-type': 'video/webm' },
      body: chunks[0]! as Uint8Array<ArrayBuffer>,
    });
    expect(asOrganizer.status).toBe(401);
    expect((await openSession('nonsense')).status).toBe(401);
    expect(sizeOf(file)).toBe(0);
  });

  it('refuses a bad sequence, an out-of-order chunk, an empty and an oversized chunk (typed errors, nothing stored)', async () => {
    const file = segFile(event.id, session.recordingId, 0);
    const cases: [number | string, number | string, Uint8Array, number, string][] = [
      [0, 'abc', chunks[0]!, 400, 'validation_failed'],
      [0, -1, chunks[0]!, 400, 'validation_failed'],
      ['x', 0, chunks[0]!, 400, 'validation_failed'],
      [0, 1, chunks[1]!, 409, 'conflict'], // 0 comes first
      [7, 0, chunks[0]!, 409, 'conflict'], // no such segment
      [0, 0, new Uint8Array(0), 400, 'bad_request'],
      [0, 0, new Uint8Array(RECORDING_LIMITS.maxChunkBytes + 1), 413, 'payload_too_large'],
    ];
    for (const [segment, seq, body, status, code] of cases) {
      const res = await postChunk(token, segment, seq, body);
      expect(res.status, `${segment}/${seq}`).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(sizeOf(file)).toBe(0);
  });

  it('stores chunks in order, fsynced, and acknowledges a re-sent chunk once', async () => {
    const file = segFile(event.id, session.recordingId, 0);
    let expected = 0;
    for (const [seq, c] of chunks.entries()) {
      const res = await postChunk(token, 0, seq, c);
      expect(res.status).toBe(200);
      expected += c.length;
      expect(await res.json()).toEqual({ segment: 0, seq, duplicate: false, bytes: expected });
      // A retry (the first answer was lost): acknowledged, not written twice.
      if (seq === 2) {
        const again = await postChunk(token, 0, seq, c);
        expect(await again.json()).toEqual({ segment: 0, seq, duplicate: true, bytes: expected });
      }
      expect(sizeOf(file)).toBe(expected);
    }
    expect(fs.readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
    const view = await adminView(event.id);
    expect(view.recording).toMatchObject({
      status: 'recording',
      segments: [{ index: 0, chunks: SECONDS, bytes: expected }],
    });
  });

  it('refuses chunks for an event that is not live, and stores nothing', async () => {
    const other = await makeEvent(t, 'rec-not-live', 'live');
    await t.app.recording.hooks.onLive(other.id);
    const otherToken = (await t.app.recording.recorderToken(other.id))!;
    const s = (await (await openSession(otherToken)).json()) as RecorderSession;
    // The stage put the event back to scheduled: nothing is taken.
    await t.app.catalogue.store.putEvent({ ...other, status: 'scheduled' }, 'organizer', other);
    const res = await postChunk(otherToken, s.segment, 0, chunks[0]!);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/not live/),
    });
    expect((await openSession(otherToken)).status).toBe(409);
    expect(sizeOf(segFile(other.id, s.recordingId, s.segment))).toBe(0);
    // And the token of one recording is not valid for another's chunks.
    expect((await postChunk(otherToken.replace(/^[^.]+/, session.recordingId), 0, SECONDS, chunks[0]!)).status).toBe(
      401,
    );
  });
});

describe('processing', () => {
  it('turns the segments into MP4 (H.264/AAC), HLS and a poster, with progress reaching 100', async () => {
    await t.app.catalogue.store.putEvent({ ...event, status: 'ended' }, 'organizer', event);
    await t.app.recording.hooks.onEnded(event.id);
    const { view, seen } = await until(
      event.id,
      (v) => v.recording?.status === 'ready' || v.recording?.status === 'failed',
    );
    const rec = view.recording!;
    expect(rec.error).toBeNull();
    expect(rec.status).toBe('ready');
    expect(rec.progress).toBe(100);
    expect(seen.at(-1)).toBe(100);
    console.log(`progress seen: ${[...new Set(seen)].join(' ')}`);
    // Progress only moves forward while the job runs.
    const running = seen.slice(0, -1);
    expect(running).toEqual([...running].sort((a, b) => a - b));
    expect(rec.durationSeconds).toBeGreaterThan(SECONDS - 0.5);
    expect(rec.durationSeconds).toBeLessThan(SECONDS + 0.5);
    expect(rec.runs).toBe(1);

    const summary = (await t.app.recording.getRecording(event.id))!;
    expect(summary).toMatchObject({
      status: 'ready',
      mp4Url: rec.mp4Url,
      hlsUrl: rec.hlsUrl,
      posterUrl: rec.posterUrl,
    });
    expect(summary.segments).toHaveLength(1);

    // The MP4 as served: H.264 + AAC, whole, with ranges.
    const mp4 = path.join(tmp, 'out.mp4');
    const res = await fetch(t.url + rec.mp4Url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    fs.writeFileSync(mp4, Buffer.from(await res.arrayBuffer()));
    const info = await probe(mp4);
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(info.audio).toMatchObject({ codec: 'aac' });
    expect(info.durationSeconds).toBeCloseTo(rec.durationSeconds!, 1);
    const ranged = await fetch(t.url + rec.mp4Url!, { headers: { range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    // faststart: the moov box comes before mdat.
    const head = fs
      .readFileSync(mp4)
      .subarray(0, 64 * 1024)
      .toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(-1);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));

    // HLS: a master playlist with 720p and 360p renditions, whose segments are served.
    const master = await (await fetch(t.url + rec.hlsUrl!)).text();
    expect(master).toMatch(/#EXTM3U/);
    expect(master).toMatch(/RESOLUTION=1280x720/);
    expect(master).toMatch(/RESOLUTION=640x360/);
    const variant = master.split('\n').find((l) => l.endsWith('.m3u8'))!;
    const base = t.url + rec.hlsUrl!.replace(/master\.m3u8$/, '');
    const playlist = await (await fetch(base + variant)).text();
    expect(playlist).toMatch(/#EXT-X-ENDLIST/);
    const seg = playlist.split('\n').find((l) => l.endsWith('.ts'))!;
    const segRes = await fetch(base + variant.replace(/index\.m3u8$/, '') + seg);
    expect(segRes.status).toBe(200);
    expect((await segRes.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const poster = await fetch(t.url + rec.posterUrl!);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // The transcriber's audio: 16 kHz mono, not served.
    const wav = await probe(summary.audioPath!);
    expect(wav.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 16000, channels: 1 });
    expect(wav.durationSeconds).toBeCloseTo(rec.durationSeconds!, 0);

    // The public API has the files now.
    const pub = await api(t, 'get', `/api/events/${event.slug}/recording`);
    expect(await pub.json()).toEqual({
      status: 'ready',
      durationSeconds: rec.durationSeconds,
      mp4Url: rec.mp4Url,
      hlsUrl: rec.hlsUrl,
      posterUrl: rec.posterUrl,
    });
  }, 120_000);

  it('refuses chunks and sessions after the event ended, with the genuine token', async () => {
    const res = await postChunk(token, 0, SECONDS, chunks[0]!);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await openSession(token)).status).toBe(409);
    expect(await t.app.recording.recorderToken(event.id)).toBeNull();
    const rec = (await t.app.recording.getRecording(event.id))!;
    expect(sizeOf(segFile(event.id, rec.id, 0))).toBe(Buffer.concat(chunks).length);
  });

  it('serves no file outside the media folder', async () => {
    for (const p of [
      '/media/recordings/..%2f..%2f..%2fetc%2fpasswd',
      '/media/recordings/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/media/..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await fetch(t.url + p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toMatch(/root:/);
    }
    // The raw segments are not served at all.
    const rec = (await t.app.recording.getRecording(event.id))!;
    expect((await fetch(`${t.url}/media/recordings/${event.id}/${rec.id}/seg-00000.webm`)).status).toBe(404);
  });

  it('runs again on the organizer’s request, into new files', async () => {
    const before = (await adminView(event.id)).recording!;
    const res = await api(t, 'post', `/api/admin/events/${event.id}/recording/process`, { cookie: organizer.cookie });
    expect(res.status).toBe(202);
    // Again while queued or running: refused.
    const twice = await api(t, 'post', `/api/admin/events/${event.id}/recording/process`, { cookie: organizer.cookie });
    expect(twice.status).toBe(409);
    const { view } = await until(event.id, (v) => v.recording?.status === 'ready' && v.recording.runs === 2);
    expect(view.recording!.mp4Url).not.toBe(before.mp4Url);
    expect((await fetch(t.url + view.recording!.mp4Url!)).status).toBe(200);
    expect((await fetch(t.url + before.mp4Url!)).status).toBe(404);
  }, 120_000);
});

describe('the per-event switch and ingestFile', () => {
  it('does not record an event the organizer switched off', async () => {
    const off = await makeEvent(t, 'rec-off', 'scheduled');
    const res = await api(t, 'put', `/api/admin/events/${off.id}/recording/settings`, {
      cookie: organizer.cookie,
      body: { enabled: false },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as RecordingAdminView).enabled).toBe(false);
    const bad = await api(t, 'put', `/api/admin/events/${off.id}/recording/settings`, {
      cookie: organizer.cookie,
      body: { enabled: 'no' },
    });
    expect(bad.status).toBe(400);
    await t.app.catalogue.store.putEvent({ ...off, status: 'live' }, 'organizer', off);
    await t.app.recording.hooks.onLive(off.id);
    await t.app.recording.poll();
    expect(await t.app.recording.getRecording(off.id)).toBeNull();
    expect((await adminView(off.id)).enabled).toBe(false);
  });

  it('feeds an existing MP4 through the same processing', async () => {
    const ended = await makeEvent(t, 'rec-ingest', 'ended');
    const src = path.join(tmp, 'panel.mp4');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=25:duration=4'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=44100:duration=4'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', src],
    ]);
    const done = await t.app.recording.ingestFile(ended.id, src);
    expect(done.status).toBe('ready');
    expect(done.durationSeconds).toBeGreaterThan(3.5);
    expect(done.durationSeconds).toBeLessThan(4.5);
    const master = await (await fetch(t.url + done.hlsUrl!)).text();
    expect(master).toMatch(/RESOLUTION=854x480/);
    expect(master).toMatch(/RESOLUTION=640x360/);
    expect(fs.existsSync(done.audioPath!)).toBe(true);
  }, 120_000);
});
