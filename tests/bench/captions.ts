/**
 * Live captions end to end (`--suite captions`): the festival-spoken panel script, encoded as the
 * recorder's WebM (VP8 + Opus) and posted in 1 s chunks at real-time pace to the real app while
 * the event is live; an audience socket receives `captions:cue`. Measured:
 *
 * - captions.delay.p50 / .max: ms from the moment a cue's last word was spoken (the recorder
 *   session's start + the cue's end) to the socket receiving it.
 * - captions.first-word.p50: the same from a cue's first word (it waits for the cue's audio to
 *   close: up to the longest chunk, 6 s).
 * - captions.wer: the word error rate of everything captioned against the script.
 *
 * Baseline, in the same run on the same machine: no live captions, i.e. the same chunks
 * transcribed as one whole file once the talk is over (what the post-event transcript gives).
 * Its delay for a cue is (end of the talk − the cue's end) + the whole-file transcription time;
 * its WER is pocketsphinx on the whole file (no cuts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { SESSION_COOKIE, type AckResult, type CaptionsCuePayload } from '@colloquy/shared';
import { createApp } from '../../server/src/http/app.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { connectRedis, type Redis } from '../../server/src/store/redis.ts';
import { cueWords } from '../../server/src/transcripts/cues.ts';
import { PocketsphinxTranscriber } from '../../server/src/transcripts/pocketsphinx.ts';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import {
  openRecorderSession,
  percentile,
  postAtRealTimePace,
  recorderChunks,
} from '../integration/captions-support.ts';
import { PANEL_SCRIPT, spokenWav } from '../support/speech.ts';
import { metric, type Metric } from './report.ts';
import type { BenchSuite } from './suite.ts';

/** A Redis database of its own on the run's redis-server (other suites use 10–12 and 14). */
const DB = 13;

async function until<T>(what: string, ms: number, fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`captions bench: ${what} did not happen in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const captionsSuite: BenchSuite = {
  key: 'captions',
  label: 'live captions: delay after the last word and word error rate, against whole-file transcription',
  async run(ctx) {
    const { say, services } = ctx;
    say('captions: festival speaks the panel script (cached under tests/.artifacts)');
    const wav = await spokenWav();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-bench-captions-'));
    ctx.cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const { chunks, file } = recorderChunks(wav, dir);

    const redis: Redis = await connectRedis(`${services.redisUrl}/${DB}`);
    await redis.flushDb();
    const port = await freePort();
    const app = createApp({
      config: { publicUrl: `http://127.0.0.1:${port}`, trustProxy: false },
      redis,
      livekit: services.livekit,
      log: createLogger('silent'),
      mediaDir: path.join(dir, 'media'),
      recording: { dir: path.join(dir, 'recordings'), recorder: 'external', pollMs: 500, stopGraceMs: 3000 },
    });
    const url = await app.listen(port, '127.0.0.1');
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await redis.quit();
    };
    ctx.cleanups.push(close);

    const base = await app.catalogue.store.putEvent(
      {
        slug: 'captions-bench',
        title: 'Captions benchmark',
        description: 'A panel for the captions benchmark',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        timeZone: 'Africa/Nairobi',
        status: 'scheduled',
        seriesId: null,
        speakerIds: [],
        location: 'Online',
      },
      'organizer',
    );
    const { token: sessionToken, session } = await app.auth.sessions.create({ kind: 'guest', displayName: 'Viewer' });
    await app.auth.roles.grant(base.id, session.userId, 'audience');
    const socket: Socket = io(url, {
      transports: ['websocket'],
      extraHeaders: { cookie: `${SESSION_COOKIE}=${sessionToken}` },
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const sub = (await socket.timeout(5000).emitWithAck('event:subscribe', { slug: base.slug })) as AckResult<unknown>;
    if (!sub.ok) throw new Error(`subscribe refused: ${JSON.stringify(sub.error)}`);
    const received: { at: number; payload: CaptionsCuePayload }[] = [];
    socket.on('captions:cue', (payload: CaptionsCuePayload) => received.push({ at: Date.now(), payload }));

    // Live: the stage would do these two; the recorder page opens its session and streams.
    const live = await app.catalogue.store.putEvent({ ...base, status: 'live' }, 'organizer', base);
    await app.lifecycle.onLive(live.id);
    const recToken = await until(
      'the recording start',
      5000,
      async () => (await app.recording.recorderToken(live.id)) ?? undefined,
    );
    const before = Date.now();
    const opened = await openRecorderSession(url, recToken);
    if (!opened.session) throw new Error(`recorder session refused: ${opened.status}`);
    const startedAt = (before + Date.now()) / 2;
    say(`captions: posting ${chunks.length} one-second chunks at real-time pace`);
    await postAtRealTimePace(url, recToken, opened.session.segment, chunks, startedAt);
    const talkEnd = Date.now();
    const ended = await app.catalogue.store.putEvent({ ...live, status: 'ended' }, 'organizer', live);
    await app.lifecycle.onEnded(ended.id);
    await until('the end of the captions', 60_000, () => (app.captions.active(live.id) ? undefined : true));
    socket.disconnect();
    const server = app.captions.stats(live.id);
    await close();

    const cues = received.flatMap((r) => r.payload.cues);
    if (cues.length === 0) throw new Error('no captions arrived');
    const delays = received
      .flatMap((r) => r.payload.cues.map((c) => r.at - (startedAt + c.end * 1000)))
      .sort((a, b) => a - b);
    const firstWord = received
      .flatMap((r) => r.payload.cues.map((c) => r.at - (startedAt + c.start * 1000)))
      .sort((a, b) => a - b);
    const liveWer = wordErrorRate(PANEL_SCRIPT, cueWords(cues)).wer;

    // Baseline: the whole file, transcribed once the talk is over (nothing else running now).
    say('captions: baseline, the same WebM transcribed as one file');
    const began = performance.now();
    const whole = await new PocketsphinxTranscriber().transcribe(file);
    const wallMs = performance.now() - began;
    const audioEnd = talkEnd - startedAt;
    const baseDelays = whole.map((c) => audioEnd - c.end * 1000 + wallMs).sort((a, b) => a - b);
    const baseFirst = whole.map((c) => audioEnd - c.start * 1000 + wallMs).sort((a, b) => a - b);
    const wholeWer = wordErrorRate(PANEL_SCRIPT, cueWords(whole)).wer;

    say(
      `captions: ${cues.length} cues; delay p50 ${Math.round(percentile(delays, 0.5))} ms, max ${Math.round(delays.at(-1)!)} ms ` +
        `(server-side p50 ${server?.p50Ms} ms, max ${server?.maxMs} ms); WER ${(liveWer * 100).toFixed(1)}% live, ` +
        `${(wholeWer * 100).toFixed(1)}% whole file (transcribed in ${Math.round(wallMs)} ms)`,
    );
    ctx.notes.push(
      `captions: ${chunks.length} s of festival speech posted as 1 s recorder chunks at real-time pace; delay = socket receipt − (session start + cue end); baseline: the same WebM transcribed as one file after the talk ((talk end − cue end) + ${Math.round(wallMs)} ms), same run`,
    );
    const out: Metric[] = [
      metric({
        name: 'captions.delay.p50',
        value: percentile(delays, 0.5),
        unit: 'ms',
        baseline: percentile(baseDelays, 0.5),
        better: 'lower',
        label: 'caption on the audience socket after its last word, median',
      }),
      metric({
        name: 'captions.delay.max',
        value: delays.at(-1)!,
        unit: 'ms',
        baseline: baseDelays.at(-1)!,
        better: 'lower',
        label: 'caption on the audience socket after its last word, worst',
      }),
      metric({
        name: 'captions.first-word.p50',
        value: percentile(firstWord, 0.5),
        unit: 'ms',
        baseline: percentile(baseFirst, 0.5),
        better: 'lower',
        label: 'caption on the audience socket after its first word, median',
      }),
      metric({
        name: 'captions.wer',
        value: liveWer * 100,
        unit: '%',
        baseline: wholeWer * 100,
        better: 'lower',
        label: 'word error rate of the live captions against the script',
      }),
    ];
    return out;
  },
};
