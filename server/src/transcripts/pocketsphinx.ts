/**
 * The offline engine: Debian's pocketsphinx (0.8+5prealpha) with its US English model. The
 * recording is converted to 16 kHz mono WAV with ffmpeg, then `pocketsphinx_continuous -infile
 * X -time yes` prints, per utterance, the hypothesis and one line per word: `word start end
 * posterior`. Fillers (`<s>`, `</s>`, `<sil>`, `[NOISE]`, `++…++`) are dropped, pronunciation
 * variants (`to(2)`) folded, and the words grouped into cues (cues.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CueInput, TranscriptWord } from '@colloquy/shared';
import { mediaDuration, run, toWav16kMono } from './audio.ts';
import { groupWords, offsetCues, type GroupOptions } from './cues.ts';
import type { TranscribeOptions, Transcriber } from './engine.ts';

export const POCKETSPHINX_BIN = 'pocketsphinx_continuous';

const NUM = /^-?\d+(?:\.\d+)?$/;

/** Parses `-time yes` output into words (every 4-field line whose last three fields are numbers). */
export function parsePocketsphinxTimes(stdout: string): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 4 || !NUM.test(f[1]!) || !NUM.test(f[2]!) || !NUM.test(f[3]!)) continue;
    const token = f[0]!;
    if (/^(<.*>|\[.*\]|\+\+.*\+\+)$/.test(token)) continue;
    const text = token.replace(/\(\d+\)$/, '');
    if (!text) continue;
    words.push({
      start: Number(f[1]),
      end: Number(f[2]),
      text,
      confidence: Math.max(0, Math.min(1, Math.round(Number(f[3]) * 1000) / 1000)),
    });
  }
  return words.sort((a, b) => a.start - b.start);
}

export interface PocketsphinxOptions {
  /** Model folders, when not Debian's defaults (/usr/share/pocketsphinx/model/en-us). */
  hmm?: string;
  lm?: string;
  dict?: string;
  grouping?: GroupOptions;
}

export class PocketsphinxTranscriber implements Transcriber {
  readonly source = 'pocketsphinx' as const;
  private readonly opts: PocketsphinxOptions;

  constructor(opts: PocketsphinxOptions = {}) {
    this.opts = opts;
  }

  async transcribe(audioFile: string, opts: TranscribeOptions = {}): Promise<CueInput[]> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'colloquy-ps-'));
    try {
      const wav = path.join(dir, 'audio.wav');
      await toWav16kMono(audioFile, wav, opts.signal ? { signal: opts.signal } : {});
      const words = await this.words(wav, opts);
      opts.onProgress?.(1);
      return offsetCues(groupWords(words, this.opts.grouping), opts.offset ?? 0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Words of a 16 kHz mono WAV, with times from its start. */
  async words(wav: string, opts: Pick<TranscribeOptions, 'signal' | 'onProgress'> = {}): Promise<TranscriptWord[]> {
    const args = ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null'];
    if (this.opts.hmm) args.push('-hmm', this.opts.hmm);
    if (this.opts.lm) args.push('-lm', this.opts.lm);
    if (this.opts.dict) args.push('-dict', this.opts.dict);
    let total = 0;
    if (opts.onProgress) total = await mediaDuration(wav, opts.signal).catch(() => 0);
    const onStdout = opts.onProgress
      ? (chunk: string) => {
          const last = parsePocketsphinxTimes(chunk).at(-1);
          if (last && total > 0) opts.onProgress!(Math.min(0.99, last.end / total));
        }
      : undefined;
    const { stdout } = await run(POCKETSPHINX_BIN, args, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(onStdout ? { onStdout } : {}),
    });
    return parsePocketsphinxTimes(stdout);
  }
}
