/**
 * The endpoint engine: any OpenAI-compatible `POST …/v1/audio/transcriptions` (OpenAI, a
 * self-hosted Whisper server, …), set by TRANSCRIBE_URL, TRANSCRIBE_API_KEY and TRANSCRIBE_MODEL.
 * The recording goes as 16 kHz mono WAV (in pieces of at most `chunkSeconds`, as endpoints cap
 * uploads near 25 MB), with `response_format=verbose_json` and word and segment timestamps. Cues
 * come from the segments (with the words that fall in each), else from the words, else one cue.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { CueInput, TranscriptWord } from '@colloquy/shared';
import { mediaDuration, toWav16kMono } from './audio.ts';
import { groupWords, offsetCues, tidyText } from './cues.ts';
import type { TranscribeOptions, Transcriber } from './engine.ts';

const Verbose = z.object({
  text: z.string().optional(),
  duration: z.coerce.number().optional(),
  segments: z.array(z.object({ start: z.coerce.number(), end: z.coerce.number(), text: z.string() })).nullish(),
  words: z.array(z.object({ start: z.coerce.number(), end: z.coerce.number(), word: z.string() })).nullish(),
});
type Verbose = z.infer<typeof Verbose>;

export class TranscribeHttpError extends Error {
  readonly status: number;
  constructor(status: number, detail: string) {
    super(`the transcription endpoint answered ${status}: ${detail.slice(0, 300)}`);
    this.name = 'TranscribeHttpError';
    this.status = status;
  }
}

export interface OpenAiOptions {
  /** The API base (`https://api.openai.com/v1`) or the full `…/audio/transcriptions` address. */
  url: string;
  apiKey?: string | undefined;
  model: string;
  /** Longest piece sent in one request (600 s of 16 kHz WAV is 19 MB). */
  chunkSeconds?: number;
  /** Per request. */
  timeoutMs?: number;
}

export function endpointUrl(url: string): string {
  const u = url.replace(/\/+$/, '');
  return u.endsWith('/audio/transcriptions') ? u : `${u}/audio/transcriptions`;
}

/** Cues from a verbose_json answer (times relative to the piece that was sent). */
export function cuesFromVerbose(body: Verbose, pieceSeconds: number): CueInput[] {
  const words: TranscriptWord[] = (body.words ?? [])
    .map((w) => ({ start: w.start, end: w.end, text: w.word.trim() }))
    .filter((w) => w.text.length > 0);
  const segments = (body.segments ?? []).filter((s) => s.text.trim().length > 0);
  if (segments.length > 0) {
    return segments.map((s) => {
      const inside = words.filter((w) => w.start >= s.start - 0.01 && w.end <= s.end + 0.01);
      return {
        start: s.start,
        end: Math.max(s.end, s.start),
        text: s.text.trim().replace(/\s+/g, ' '),
        ...(inside.length > 0 ? { words: inside } : {}),
      };
    });
  }
  if (words.length > 0) return groupWords(words);
  const text = body.text?.trim();
  return text ? [{ start: 0, end: body.duration ?? pieceSeconds, text: tidyText([text]) }] : [];
}

export class OpenAiTranscriber implements Transcriber {
  readonly source = 'openai' as const;
  private readonly opts: OpenAiOptions;

  constructor(opts: OpenAiOptions) {
    this.opts = opts;
  }

  async transcribe(audioFile: string, opts: TranscribeOptions = {}): Promise<CueInput[]> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'colloquy-oa-'));
    try {
      const signal = opts.signal;
      const total = await mediaDuration(audioFile, signal);
      const chunk = this.opts.chunkSeconds ?? 600;
      const cues: CueInput[] = [];
      for (let start = 0, i = 0; start < total; start += chunk, i++) {
        const length = Math.min(chunk, total - start);
        const wav = path.join(dir, `piece-${i}.wav`);
        await toWav16kMono(audioFile, wav, { start, duration: length, ...(signal ? { signal } : {}) });
        const body = await this.request(wav, opts);
        cues.push(...offsetCues(cuesFromVerbose(body, length), start + (opts.offset ?? 0)));
        opts.onProgress?.(Math.min(1, (start + length) / total));
      }
      return cues;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private async request(wav: string, opts: TranscribeOptions): Promise<Verbose> {
    const form = new FormData();
    form.append('file', new Blob([await fs.readFile(wav)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.opts.model);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    form.append('timestamp_granularities[]', 'word');
    if (opts.language) form.append('language', opts.language.split('-')[0]!);
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 10 * 60_000);
    const res = await fetch(endpointUrl(this.opts.url), {
      method: 'POST',
      headers: this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {},
      body: form,
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok) throw new TranscribeHttpError(res.status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TranscribeHttpError(res.status, 'the answer is not JSON (is response_format=verbose_json supported?)');
    }
    const parsed = Verbose.safeParse(json);
    if (!parsed.success) throw new TranscribeHttpError(res.status, 'the answer is not a verbose_json transcription');
    return parsed.data;
  }
}
