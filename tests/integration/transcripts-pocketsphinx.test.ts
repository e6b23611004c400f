/**
 * The offline engine on real speech: festival reads a short panel script, pocketsphinx transcribes
 * it through the app's transcripts module, and the word error rate against the script is printed
 * and must stay under 25%. The same audio fed as PCM through the chunked (live captions) mode must
 * give usable text with a measured delay.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CueInput } from '@colloquy/shared';
import { pcmFromWav, toWav16kMono, PCM_BYTES_PER_SECOND } from '../../server/src/transcripts/audio.ts';
import { parsePocketsphinxTimes, PocketsphinxTranscriber } from '../../server/src/transcripts/pocketsphinx.ts';
import { cueWords } from '../../server/src/transcripts/cues.ts';
import { wordErrorRate } from '../../server/src/transcripts/wer.ts';
import type { ChunkInfo } from '../../server/src/transcripts/live.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { PANEL_SCRIPT, spokenWav } from '../support/speech.ts';

let t: TestApp;
let wav: string;

beforeAll(async () => {
  [t, wav] = await Promise.all([startTestApp(), spokenWav()]);
}, 120_000);
afterAll(() => t.close());

describe('pocketsphinx', () => {
  it('parses -time output: fillers dropped, variants folded', () => {
    const out = [
      'welcome to the',
      '<s> 0.070 0.140 0.999600',
      'welcome 0.150 0.610 0.932853',
      'to(2) 0.620 0.730 0.568721',
      '<sil> 0.740 0.820 0.999600',
      '[NOISE] 0.830 0.900 0.5',
      'the 0.910 1.000 1.000200',
      '</s> 1.010 1.100 1.0',
    ].join('\n');
    expect(parsePocketsphinxTimes(out)).toEqual([
      { start: 0.15, end: 0.61, text: 'welcome', confidence: 0.933 },
      { start: 0.62, end: 0.73, text: 'to', confidence: 0.569 },
      { start: 0.91, end: 1, text: 'the', confidence: 1 },
    ]);
  });

  it('transcribes festival speech with a word error rate under 25%, in cues of at most 7 s', async () => {
    const e = await makeEvent(t, 'spoken-panel', 'ended');
    const run = await t.app.transcripts.transcribeRecording(e.id, wav);
    const transcript = (await t.app.transcripts.get(e.id))!;
    const hypothesis = cueWords(transcript.cues);
    const w = wordErrorRate(PANEL_SCRIPT, hypothesis);
    console.log(
      `[pocketsphinx] WER ${(w.wer * 100).toFixed(1)}% (${w.substitutions} sub, ${w.deletions} del, ${w.insertions} ins of ${w.referenceWords} words); ` +
        `${run.audioSeconds.toFixed(1)} s of audio in ${(run.wallMs / 1000).toFixed(2)} s: real-time factor ${run.realTimeFactor.toFixed(1)}×\n  heard: ${hypothesis}`,
    );
    expect(w.wer).toBeLessThan(0.25);
    expect(run.version).toBe(transcript.version);
    expect(transcript.source).toBe('pocketsphinx');
    expect(transcript.cues.length).toBeGreaterThan(2);
    let previousEnd = 0;
    for (const c of transcript.cues) {
      expect(c.end - c.start).toBeLessThanOrEqual(7);
      expect(c.start).toBeGreaterThanOrEqual(previousEnd);
      expect(c.words!.length).toBeGreaterThan(0);
      expect(c.words![0]!.start).toBe(c.start);
      previousEnd = c.end;
    }
    expect(previousEnd).toBeLessThanOrEqual(run.audioSeconds + 0.1);
    // It reached the public WebVTT.
    const vtt = await (await fetch(`${t.url}/events/${e.slug}/transcript.vtt`)).text();
    expect(vtt).toContain(transcript.cues[0]!.text);
  }, 60_000);

  it('transcribes in chunks for live captions, with times on the stream clock and a measured delay', async () => {
    const dir = await fs.mkdtemp('/tmp/colloquy-live-test-');
    const wav16 = `${dir}/a.wav`;
    await toWav16kMono(wav, wav16);
    const pcm = await pcmFromWav(wav16);
    const seconds = pcm.length / PCM_BYTES_PER_SECOND;
    const cues: CueInput[] = [];
    const chunks: ChunkInfo[] = [];
    const live = t.app.transcripts.liveTranscriber({
      engine: new PocketsphinxTranscriber(),
      onCues: (c, info) => {
        cues.push(...c);
        chunks.push(info);
      },
    });
    // Fed in 100 ms packets as fast as they come; the delay model below replays them in real time.
    for (let i = 0; i < pcm.length; i += PCM_BYTES_PER_SECOND / 10)
      live.pushPcm(pcm.subarray(i, i + PCM_BYTES_PER_SECOND / 10));
    await live.close();
    await fs.rm(dir, { recursive: true, force: true });

    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(6.001);
    expect(chunks.at(-1)!.end).toBeCloseTo(seconds, 1);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.start);
    expect(cues.at(-1)!.end).toBeLessThanOrEqual(seconds + 0.1);
    const w = wordErrorRate(PANEL_SCRIPT, cueWords(cues));

    // Real-time replay: chunk i closes when its last sample is spoken and waits for the one before.
    let free = 0;
    const delays: number[] = [];
    for (const [i, c] of chunks.entries()) {
      const startWork = Math.max(c.end, free);
      free = startWork + c.engineMs / 1000;
      for (const cue of cues.filter((x) => x.start >= c.start && x.start < c.end)) delays.push(free - cue.end);
      if (i === 0) expect(c.engineMs).toBeGreaterThan(0);
    }
    delays.sort((a, b) => a - b);
    const median = delays[Math.floor(delays.length / 2)]!;
    const worst = delays.at(-1)!;
    console.log(
      `[live captions] ${chunks.length} chunks, WER ${(w.wer * 100).toFixed(1)}%, engine ${chunks.map((c) => c.engineMs).join('/')} ms per chunk; ` +
        `caption delay after the cue's last word: median ${median.toFixed(2)} s, worst ${worst.toFixed(2)} s`,
    );
    expect(w.wer).toBeLessThan(0.35);
    expect(worst).toBeLessThan(8);
  }, 60_000);
});
