/**
 * Kill and restart while recording: the real start-up entry point runs as a child process (on
 * the run's Redis and livekit-server, with an external recorder that this test plays: it opens
 * recorder sessions and posts WebM chunks as the recorder page would). The test SIGKILLs the
 * server right after a chunk it did not wait for, checks that every acknowledged chunk is on disk,
 * restarts the server, records a second segment into the same recording, ends the event, and
 * checks that the final MP4 covers everything acknowledged before the kill plus the new segment.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RecorderSession } from '@colloquy/shared';
import { connectRedis, type Redis } from '../../server/src/store/redis.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { CatalogueStore } from '../../server/src/events/store.ts';
import { RecordingStore } from '../../server/src/recording/store.ts';
import { recorderToken } from '../../server/src/recording/token.ts';
import { probe } from '../../server/src/recording/ffmpeg.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'server/src/cli/start.ts');
const SECRET = 'restart-test-secret-'.padEnd(48, 'k');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-rec-restart-'));
const dataDir = path.join(tmp, 'data');
const children: ChildProcess[] = [];
let redis: Redis;
let redisUrl: string;
let port: number;
let eventId: string;

function webm(name: string, seconds: number, color: string): Buffer {
  const file = path.join(tmp, name);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=640x360:rate=15:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-vf', `drawbox=c=${color}:t=20`],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15'],
    ...['-c:a', 'libopus', '-f', 'webm', '-cluster_time_limit', '1000', file],
  ]);
  return fs.readFileSync(file);
}

const split = (all: Buffer, n: number) => {
  const size = Math.ceil(all.length / n);
  return Array.from({ length: n }, (_, i) => all.subarray(i * size, Math.min(all.length, (i + 1) * size)));
};

function startServer() {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      LIVEKIT_URL: inject('livekit').url,
      LIVEKIT_API_KEY: inject('livekit').apiKey,
      LIVEKIT_API_SECRET: inject('livekit').apiSecret,
      SECRET_KEY: SECRET,
      DEMO_CONTENT: 'false',
      RECORDER: 'external',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = (async () => {
    const deadline = Date.now() + 60_000;
    while (!/listening on/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { child, exited, ready, output: () => output };
}

const base = () => `http://127.0.0.1:${port}`;

async function session(token: string): Promise<RecorderSession> {
  const res = await fetch(`${base()}/api/recorder/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as RecorderSession;
}

function post(token: string, segment: number, seq: number, body: Buffer) {
  return fetch(`${base()}/api/recorder/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'video/webm' },
    body: body as Uint8Array<ArrayBuffer>,
  });
}

async function until<T>(what: string, ms: number, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Seconds of media in a (possibly cut) WebM. */
function durationOf(bytes: Buffer, name: string): number {
  const src = path.join(tmp, `${name}.webm`);
  const out = path.join(tmp, `${name}.mkv`);
  fs.writeFileSync(src, bytes);
  try {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'quiet', '-y', '-i', src, '-c', 'copy', out]);
  } catch {
    // a cut file ends with an error; the output holds what was readable
  }
  return Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out], {
      encoding: 'utf8',
    }),
  );
}

beforeAll(async () => {
  const counter = await connectRedis(inject('redisUrl'));
  const db = await counter.incr('test:next-db');
  await counter.quit();
  redisUrl = `${inject('redisUrl')}/${db}`;
  redis = await connectRedis(redisUrl);
  await redis.flushDb();
  port = await freePort();
  const event = await new CatalogueStore(redis).putEvent(
    {
      slug: 'restart-panel',
      title: 'Restart panel',
      description: '',
      startsAt: new Date(Date.now() - 600_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      timeZone: 'UTC',
      status: 'live',
      seriesId: null,
      speakerIds: [],
      location: 'Online',
    },
    'organizer',
  );
  eventId = event.id;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.quit();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('killing the server while recording', () => {
  it('keeps every acknowledged chunk, resumes into a new segment after the restart, and the MP4 covers both', async () => {
    const first = split(webm('first.webm', 16, 'red'), 16);
    const second = split(webm('second.webm', 5, 'blue'), 5);
    const store = new RecordingStore(redis);

    let server = startServer();
    await server.ready;
    // The event is live: the server finds it (no stage hook in this test) and starts a recording.
    const rec = await until('a recording', 20_000, () => store.forEvent(eventId));
    expect(rec.status).toBe('recording');
    const token = recorderToken(SECRET, eventId, rec.id);
    const s0 = await session(token);
    expect(s0.segment).toBe(0);

    // Twelve chunks, each acknowledged; then one sent as the server is killed.
    const ACKED = 12;
    for (let seq = 0; seq < ACKED; seq++) {
      const res = await post(token, 0, seq, first[seq]!);
      expect(res.status).toBe(200);
    }
    const acked = Buffer.concat(first.slice(0, ACKED));
    const unacked = post(token, 0, ACKED, first[ACKED]!).catch(() => null);
    server.child.kill('SIGKILL');
    await server.exited;
    await unacked;

    // Everything acknowledged is on disk, byte for byte.
    const seg0 = path.join(dataDir, 'recordings', eventId, rec.id, 'seg-00000.webm');
    const onDisk = fs.readFileSync(seg0);
    expect(onDisk.length).toBeGreaterThanOrEqual(acked.length);
    expect(onDisk.subarray(0, acked.length).equals(acked)).toBe(true);
    const ackedSeconds = durationOf(acked, 'acked');
    expect(ackedSeconds).toBeGreaterThan(10);

    // Restart: still live, so the same recording goes on in a new segment.
    server = startServer();
    await server.ready;
    expect((await store.get(rec.id))!.status).toBe('recording');
    // A chunk the old recorder retries after the restart is still taken, once (its segment is the newest).
    const retried = await post(token, 0, ACKED - 1, first[ACKED - 1]!);
    expect(await retried.json()).toMatchObject({ duplicate: true });
    const s1 = await session(token);
    expect(s1).toMatchObject({ recordingId: rec.id, segment: 1 });
    // The old segment is superseded now: a late chunk for it is refused.
    expect((await post(token, 0, ACKED + 1, first[ACKED + 1]!)).status).toBe(409);
    for (const [seq, c] of second.entries()) expect((await post(token, 1, seq, c)).status).toBe(200);

    // The event ends; the server notices, waits for the recorder's last chunk, and processes.
    const catalogue = new CatalogueStore(redis);
    const event = (await catalogue.events.get(eventId))!;
    await catalogue.putEvent({ ...event, status: 'ended' }, 'organizer', event);
    const done = await until('processing', 120_000, async () => {
      const r = await store.get(rec.id);
      return r && (r.status === 'ready' || r.status === 'failed') ? r : null;
    });
    expect(done.error).toBeNull();
    expect(done.status).toBe('ready');
    expect(done.segmentCount).toBe(2);

    const mp4 = path.join(tmp, 'final.mp4');
    const res = await fetch(`${base()}/media/${done.outputs!.mp4}`);
    expect(res.status).toBe(200);
    fs.writeFileSync(mp4, Buffer.from(await res.arrayBuffer()));
    const info = await probe(mp4);
    const secondSeconds = durationOf(Buffer.concat(second), 'second');
    console.log(
      `acknowledged before the kill: ${ackedSeconds.toFixed(2)} s (${ACKED} chunks); on disk after the kill: ` +
        `${durationOf(onDisk, 'on-disk').toFixed(2)} s; after the restart ${secondSeconds.toFixed(2)} s; ` +
        `final MP4 ${info.durationSeconds?.toFixed(2)} s`,
    );
    expect(info.video?.codec).toBe('h264');
    expect(info.audio?.codec).toBe('aac');
    expect(info.durationSeconds!).toBeGreaterThanOrEqual(ackedSeconds + secondSeconds - 0.5);
    expect(info.durationSeconds!).toBeLessThanOrEqual(16 + secondSeconds + 0.5);

    server.child.kill('SIGINT');
    await server.exited;
  }, 240_000);
});
