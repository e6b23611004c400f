/**
 * Chunked transcription for live captions. Audio arrives as 16 kHz mono s16le PCM (decode a
 * WebM/Opus stream with `createPcmDecoder`); it is cut into chunks of `minSeconds`..`maxSeconds`,
 * at a pause when there is one (so words are not split), and each chunk is transcribed by the
 * engine in turn with its offset, so the cues carry times on the recording's clock. A caption is
 * therefore late by the wait for its chunk to close (at most `maxSeconds`) plus the engine's time
 * on that chunk; `onCues` receives both so the delay can be measured and shown.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CueInput } from '@colloquy/shared';
import { PCM_BYTES_PER_SECOND, SAMPLE_RATE, wavFromPcm } from './audio.ts';
import type { Transcriber } from './engine.ts';

export interface ChunkInfo {
  /** The chunk's place in the stream, in seconds. */
  start: number;
  end: number;
  /** Wall-clock ms (Date.now()) when the chunk's last sample arrived, and when its cues were ready. */
  closedAt: number;
  readyAt: number;
  /** readyAt − closedAt: waiting behind earlier chunks plus the engine's work. */
  processingMs: number;
  /** The engine's work on this chunk alone. */
  engineMs: number;
}

export interface LiveTranscriberOptions {
  engine: Transcriber;
  onCues: (cues: CueInput[], chunk: ChunkInfo) => void;
  onError?: (err: unknown, chunk: { start: number; end: number }) => void;
  /** Shortest and longest chunk, in seconds (2 and 6). */
  minSeconds?: number;
  maxSeconds?: number;
  /** A pause: this long (0.25 s) below `silenceLevel` (RMS of int16 samples, 400 ≈ −38 dBFS). */
  silenceSeconds?: number;
  silenceLevel?: number;
  language?: string;
  now?: () => number;
}

const FRAME = SAMPLE_RATE / 50; // 20 ms of samples

function frameRms(pcm: Buffer, frame: number): number {
  let sum = 0;
  const from = frame * FRAME * 2;
  const to = Math.min(pcm.length - 1, from + FRAME * 2);
  let n = 0;
  for (let i = from; i + 1 <= to; i += 2) {
    const s = pcm.readInt16LE(i);
    sum += s * s;
    n++;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

export class LiveTranscriber {
  private readonly o: Required<Omit<LiveTranscriberOptions, 'onError' | 'language'>> &
    Pick<LiveTranscriberOptions, 'onError' | 'language'>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Stream position of the first pending byte, in bytes. */
  private position = 0;
  private queue: Promise<void> = Promise.resolve();
  private dir: Promise<string> | null = null;
  private closed = false;
  private seq = 0;

  constructor(opts: LiveTranscriberOptions) {
    this.o = {
      minSeconds: 2,
      maxSeconds: 6,
      silenceSeconds: 0.25,
      silenceLevel: 400,
      now: Date.now,
      ...opts,
    };
  }

  /** Feeds PCM (16 kHz mono s16le, in order); chunks are cut and queued as they complete. */
  pushPcm(pcm: Buffer): void {
    if (this.closed) throw new Error('the live transcriber is closed');
    if (pcm.length === 0) return;
    this.pending.push(pcm);
    this.pendingBytes += pcm.length;
    for (;;) {
      const cut = this.findCut();
      if (cut === null) break;
      this.emit(cut);
    }
  }

  /** Transcribes what is left and waits for every queued chunk. */
  async flush(): Promise<void> {
    if (this.pendingBytes > 0) this.emit(this.pendingBytes);
    await this.queue;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.dir) await fs.rm(await this.dir, { recursive: true, force: true });
  }

  /** Where to cut the pending audio (bytes), or null to wait for more. */
  private findCut(): number | null {
    const min = Math.floor(this.o.minSeconds * PCM_BYTES_PER_SECOND);
    const max = Math.floor(this.o.maxSeconds * PCM_BYTES_PER_SECOND);
    if (this.pendingBytes < min) return null;
    const pcm = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [pcm];
    const frames = Math.floor(Math.min(pcm.length, max) / (FRAME * 2));
    const need = Math.max(1, Math.round(this.o.silenceSeconds * 50));
    let run = 0;
    for (let f = Math.floor(min / (FRAME * 2)); f < frames; f++) {
      run = frameRms(pcm, f) < this.o.silenceLevel ? run + 1 : 0;
      // Cut in the middle of the first pause long enough after the minimum.
      if (run >= need) return (f - Math.floor(run / 2)) * FRAME * 2;
    }
    if (pcm.length < max) return null;
    // No pause: cut at the quietest frame of the last second before the maximum.
    let best = frames - 1;
    let bestRms = Infinity;
    for (let f = Math.max(0, frames - 50); f < frames; f++) {
      const rms = frameRms(pcm, f);
      if (rms < bestRms) [best, bestRms] = [f, rms];
    }
    return Math.max(FRAME * 2, best * FRAME * 2);
  }

  private emit(bytes: number): void {
    const pcm = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const chunk = pcm.subarray(0, bytes);
    const rest = pcm.subarray(bytes);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    const start = this.position / PCM_BYTES_PER_SECOND;
    this.position += chunk.length;
    const end = this.position / PCM_BYTES_PER_SECOND;
    const closedAt = this.o.now();
    const seq = ++this.seq;
    this.queue = this.queue.then(() => this.process(Buffer.from(chunk), { start, end, closedAt }, seq));
  }

  private async process(pcm: Buffer, chunk: { start: number; end: number; closedAt: number }, seq: number) {
    const began = this.o.now();
    try {
      this.dir ??= fs.mkdtemp(path.join(os.tmpdir(), 'colloquy-live-'));
      const file = path.join(await this.dir, `chunk-${seq}.wav`);
      await fs.writeFile(file, wavFromPcm(pcm));
      const cues = await this.o.engine.transcribe(file, {
        offset: chunk.start,
        ...(this.o.language ? { language: this.o.language } : {}),
      });
      await fs.rm(file, { force: true });
      const readyAt = this.o.now();
      this.o.onCues(cues, { ...chunk, readyAt, processingMs: readyAt - chunk.closedAt, engineMs: readyAt - began });
    } catch (err) {
      this.o.onError?.(err, chunk);
    }
  }
}

/**
 * An ffmpeg child that decodes a media stream (e.g. the recorder's WebM chunks, written in order)
 * into 16 kHz mono s16le PCM for `LiveTranscriber.pushPcm`.
 */
export function createPcmDecoder(onPcm: (pcm: Buffer) => void, onError?: (err: Error) => void) {
  const child = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(SAMPLE_RATE),
      '-f',
      's16le',
      'pipe:1',
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  child.stdout.on('data', (d: Buffer) => onPcm(d));
  child.on('error', (e) => onError?.(e));
  child.stdin.on('error', (e) => onError?.(e));
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    write: (chunk: Buffer) => child.stdin.write(chunk),
    /** Ends the input and resolves once ffmpeg has written all its output. */
    end: async () => {
      child.stdin.end();
      await done;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
