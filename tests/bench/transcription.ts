/**
 * Transcription speed: pocketsphinx's real-time factor (audio seconds per wall second) on the
 * festival-spoken panel script, against real time (1×); and the live-caption delay of the chunked
 * mode on the same audio, replayed at real-time pace, against the longest chunk it waits for.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CueInput } from '@colloquy/shared';
import { mediaDuration, pcmFromWav, PCM_BYTES_PER_SECOND, toWav16kMono } from '../../server/src/transcripts/audio.ts';
import { cueWords } from '../../server/src/transcripts/cues.ts';
import { LiveTranscriber, type ChunkInfo } from '../../server/src/transcripts/live.ts';
import { PocketsphinxTranscriber } from '../../server/src/transcripts/pocketsphinx.ts';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import { PANEL_SCRIPT, spokenWav } from '../support/speech.ts';
import { metric, type Metric } from './report.ts';
import type { BenchSuite } from './suite.ts';

const RUNS = 3;
const MAX_CHUNK = 6;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export const transcribeSuite: BenchSuite = {
  key: 'transcribe',
  label: 'transcription (pocketsphinx)',
  async run(ctx) {
    ctx.say('transcribe: festival speaks the panel script (cached under tests/.artifacts)');
    const wav = await spokenWav();
    const seconds = await mediaDuration(wav);
    const engine = new PocketsphinxTranscriber();
    let best = Infinity;
    let wer = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const cues = await engine.transcribe(wav);
      const wall = (performance.now() - started) / 1000;
      best = Math.min(best, wall);
      wer = wordErrorRate(PANEL_SCRIPT, cueWords(cues)).wer;
    }
    const rtf = seconds / best;
    ctx.say(
      `transcribe: ${seconds.toFixed(1)} s of speech in ${best.toFixed(2)} s (best of ${RUNS}): ${rtf.toFixed(1)}× real time, WER ${(wer * 100).toFixed(1)}%`,
    );

    // Live captions: chunks as the audio would arrive, each transcribed in turn.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'colloquy-bench-live-'));
    const wav16 = path.join(dir, 'a.wav');
    await toWav16kMono(wav, wav16);
    const pcm = await pcmFromWav(wav16);
    await fs.rm(dir, { recursive: true, force: true });
    const cues: CueInput[] = [];
    const chunks: ChunkInfo[] = [];
    const live = new LiveTranscriber({
      engine,
      maxSeconds: MAX_CHUNK,
      onCues: (c, info) => {
        cues.push(...c);
        chunks.push(info);
      },
    });
    const packet = PCM_BYTES_PER_SECOND / 10;
    for (let i = 0; i < pcm.length; i += packet) live.pushPcm(pcm.subarray(i, i + packet));
    await live.close();
    // Replayed in real time: a chunk is ready when its audio has been spoken and the engine is free.
    let free = 0;
    const delays: number[] = [];
    for (const c of chunks) {
      free = Math.max(c.end, free) + c.engineMs / 1000;
      for (const cue of cues.filter((x) => x.start >= c.start && x.start < c.end)) delays.push((free - cue.end) * 1000);
    }
    delays.sort((a, b) => a - b);
    const liveWer = wordErrorRate(PANEL_SCRIPT, cueWords(cues)).wer;
    ctx.notes.push(
      `transcription: festival HTS voice, ${seconds.toFixed(1)} s script; whole-file WER ${(wer * 100).toFixed(1)}%, live chunks WER ${(liveWer * 100).toFixed(1)}% (${chunks.length} chunks ≤ ${MAX_CHUNK} s); baselines: real time (1×) and the longest chunk (${MAX_CHUNK} s)`,
    );
    const out: Metric[] = [
      metric({
        name: 'transcribe.pocketsphinx.rtf',
        value: rtf,
        unit: '×',
        baseline: 1,
        better: 'higher',
        label: 'pocketsphinx, audio seconds per wall second',
      }),
      metric({
        name: 'transcribe.live.delay.p50',
        value: percentile(delays, 0.5),
        unit: 'ms',
        baseline: MAX_CHUNK * 1000,
        better: 'lower',
        label: 'live caption delay after the last word, median',
      }),
      metric({
        name: 'transcribe.live.delay.max',
        value: delays.at(-1)!,
        unit: 'ms',
        baseline: MAX_CHUNK * 1000,
        better: 'lower',
        label: 'live caption delay after the last word, worst',
      }),
    ];
    return out;
  },
};
