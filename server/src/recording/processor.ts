/**
 * The processing job: segments (or an ingested file) → MP4 (H.264/AAC, faststart), HLS
 * renditions, a poster JPEG and 16 kHz mono WAV for the transcriber. The job record lives in
 * Redis (status, step, percent); a lock with an expiry makes one node run it, and jobs that were
 * queued or running when the server stopped are picked up again at start. See decision 0019.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RECORDER_CANVAS } from '@colloquy/shared';
import type { Logger } from '../log/logger.ts';
import { ffmpeg, probe, type Probe } from './ffmpeg.ts';
import type { RecordingFiles } from './files.ts';
import type { RecordingOutputs, RecordingStore, StoredRecording } from './store.ts';

/** What the transcriber (and the archive) get once a recording is processed. */
export interface ProcessedFiles {
  recordingId: string;
  /** Absolute paths. */
  mp4Path: string;
  hlsPath: string;
  posterPath: string;
  /** 16 kHz mono 16-bit WAV. */
  audioPath: string;
  /** Served URLs (paths under /media). */
  mp4Url: string;
  hlsUrl: string;
  posterUrl: string;
  durationSeconds: number;
}

export type AfterProcessing = (eventId: string, files: ProcessedFiles) => void | Promise<void>;

const LOCK_MS = 60_000;
const HLS_SECONDS = 4;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export class RecordingProcessor {
  private readonly store: RecordingStore;
  private readonly files: RecordingFiles;
  private readonly log: Logger;
  private readonly owner = crypto.randomUUID();
  private readonly now: () => Date;
  /** Called after each successful run (the lead wires transcription here). */
  afterProcessing: AfterProcessing | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** Stops running ffmpeg children when the server stops; the job resumes at the next start. */
  private readonly abort = new AbortController();
  /** Resolves listeners waiting for a recording's job to end (tests, ingestFile). */
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(o: { store: RecordingStore; files: RecordingFiles; log: Logger; now: () => Date }) {
    this.store = o.store;
    this.files = o.files;
    this.log = o.log;
    this.now = o.now;
  }

  /** Runs every queued job, one at a time; calling it while running runs the queue once more after. */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        for (const id of await this.store.jobIds().catch(() => [])) {
          if (this.closed) break;
          await this.runJob(id).catch((err: unknown) =>
            this.log.error({ err, recordingId: id }, 'recording job crashed'),
          );
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves when the recording's job is no longer queued or processing. */
  async waitFor(id: string): Promise<StoredRecording | null> {
    for (;;) {
      const rec = await this.store.get(id);
      if (!rec || (rec.status !== 'queued' && rec.status !== 'processing')) return rec;
      await new Promise<void>((resolve) => {
        const list = this.waiters.get(id) ?? [];
        list.push(resolve);
        this.waiters.set(id, list);
        setTimeout(resolve, 1000).unref();
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    await this.running?.catch(() => {});
  }

  private wake(id: string) {
    for (const w of this.waiters.get(id) ?? []) w();
    this.waiters.delete(id);
  }

  private async runJob(id: string): Promise<void> {
    const rec = await this.store.get(id);
    if (!rec || (rec.status !== 'queued' && rec.status !== 'processing')) {
      await this.store.finishJob(id);
      return;
    }
    if (!(await this.store.lock(id, this.owner, LOCK_MS))) return; // another node has it
    const run = rec.runs + 1;
    const started = Date.now();
    try {
      await this.store.update(id, {
        status: 'processing',
        progress: 0,
        step: 'reading segments',
        runs: run,
        updatedAt: this.now().toISOString(),
      });
      const outputs = await this.makeFiles(rec, run);
      const info = await probe(this.files.abs(outputs.mp4));
      const duration = info.durationSeconds ?? 0;
      const ok = await this.store.casStatus(id, 'processing', {
        status: 'ready',
        progress: 100,
        step: 'done',
        durationSeconds: duration.toFixed(3),
        outputs: JSON.stringify(outputs),
        updatedAt: this.now().toISOString(),
      });
      if (ok) await this.store.clear(id, ['error']);
      // The previous run's files are no longer referenced.
      if (ok && rec.outputs && rec.outputs.dir !== outputs.dir) {
        fs.rmSync(this.files.abs(rec.outputs.dir), { recursive: true, force: true });
      }
      this.log.info(
        { recordingId: id, eventId: rec.eventId, seconds: (Date.now() - started) / 1000, duration },
        'recording processed',
      );
      if (ok && this.afterProcessing) {
        // Transcription and indexing run beside the queue: the next recording's job need not wait for them.
        void Promise.resolve()
          .then(() => this.afterProcessing?.(rec.eventId, this.processedFiles(id, outputs, duration)))
          .catch((err: unknown) => this.log.error({ err, recordingId: id }, 'afterProcessing failed'));
      }
    } catch (err) {
      if (this.closed) {
        // Interrupted by a shutdown: left queued, so the next start runs it again.
        this.log.warn({ recordingId: id }, 'recording processing interrupted by shutdown');
        await this.store.casStatus(id, 'processing', { status: 'queued', step: 'waiting' });
        await this.store.unlock(id, this.owner);
        return;
      }
      this.log.error({ err, recordingId: id }, 'recording processing failed');
      await this.store.casStatus(id, 'processing', {
        status: 'failed',
        step: 'failed',
        error: (err as Error).message.slice(0, 500),
        updatedAt: this.now().toISOString(),
      });
    } finally {
      if (!this.closed) await this.store.finishJob(id);
      await this.store.unlock(id, this.owner);
      this.wake(id);
    }
  }

  processedFiles(id: string, o: RecordingOutputs, durationSeconds: number): ProcessedFiles {
    return {
      recordingId: id,
      mp4Path: this.files.abs(o.mp4),
      hlsPath: this.files.abs(o.hls),
      posterPath: this.files.abs(o.poster),
      audioPath: o.audio,
      mp4Url: `/media/${o.mp4}`,
      hlsUrl: `/media/${o.hls}`,
      posterUrl: `/media/${o.poster}`,
      durationSeconds,
    };
  }

  private async makeFiles(rec: StoredRecording, run: number): Promise<RecordingOutputs> {
    const id = rec.id;
    const signal = this.abort.signal;
    let lastWrite = 0;
    let lastPercent = -1;
    const report = async (step: string, percent: number, force = false) => {
      const p = Math.max(0, Math.min(99, Math.floor(percent)));
      const t = Date.now();
      if (!force && (p === lastPercent || t - lastWrite < 500)) return;
      lastWrite = t;
      lastPercent = p;
      await this.store.update(id, { progress: p, step, updatedAt: this.now().toISOString() });
      await this.store.lock(id, this.owner, LOCK_MS);
    };
    const progressIn = (step: string, from: number, to: number) => (f: number) =>
      void report(step, from + (to - from) * f);

    const rel = this.files.runRel(rec.eventId, id, run);
    const out = this.files.abs(rel);
    const work = path.join(this.files.rawDir(rec.eventId, id), `work-r${run}`);
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(path.join(out, 'hls'), { recursive: true });
    fs.mkdirSync(work, { recursive: true });
    try {
      // 1. Inputs with known durations. MediaRecorder's WebM has none until remuxed.
      const sources =
        rec.source === 'file' && rec.inputFile
          ? [rec.inputFile]
          : this.files.existingSegments(rec.eventId, id, rec.segmentCount);
      if (sources.length === 0) throw new Error('nothing was recorded');
      const inputs: { file: string; info: Probe; duration: number }[] = [];
      for (const [i, src] of sources.entries()) {
        await report('reading segments', (i / sources.length) * 5, true);
        let file = src;
        let info = await probe(src).catch(() => null);
        if (!info || info.durationSeconds === null || src.endsWith('.webm')) {
          file = path.join(work, `in-${i}.mkv`);
          // A segment cut by a crash ends in a partial cluster: keep what decodes.
          await ffmpeg(['-fflags', '+genpts+discardcorrupt', '-i', src, '-map', '0', '-c', 'copy', file], {
            allowFailure: true,
            signal,
          });
          info = await probe(file).catch(() => null);
        }
        if (!info || !info.durationSeconds || info.durationSeconds < 0.1 || !info.video) {
          this.log.warn({ recordingId: id, src }, 'skipping a segment with no usable video');
          continue;
        }
        inputs.push({ file, info, duration: info.durationSeconds });
      }
      if (inputs.length === 0) throw new Error('no segment had usable video');
      const total = inputs.reduce((s, x) => s + x.duration, 0);

      // 2. One MP4: every input scaled into the same frame, concatenated, H.264/AAC, faststart.
      const first = inputs[0]!.info.video!;
      const height = rec.source === 'live' ? RECORDER_CANVAS.height : Math.min(720, even(first.height));
      const width = rec.source === 'live' ? RECORDER_CANVAS.width : even((first.width / first.height) * height);
      const fps = rec.source === 'live' ? RECORDER_CANVAS.fps : 25;
      const args: string[] = [];
      const filters: string[] = [];
      const pairs: string[] = [];
      inputs.forEach((input, i) => {
        args.push('-i', input.file);
        filters.push(
          `[${i}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p,trim=duration=${input.duration.toFixed(3)},setpts=PTS-STARTPTS[v${i}]`,
        );
        filters.push(
          input.info.audio
            ? `[${i}:a:0]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=duration=${input.duration.toFixed(3)},asetpts=PTS-STARTPTS[a${i}]`
            : `anullsrc=r=48000:cl=stereo,atrim=duration=${input.duration.toFixed(3)}[a${i}]`,
        );
        pairs.push(`[v${i}][a${i}]`);
      });
      filters.push(`${pairs.join('')}concat=n=${inputs.length}:v=1:a=1[v][a]`);
      const mp4Rel = `${rel}/recording.mp4`;
      await ffmpeg(
        [
          ...args,
          '-filter_complex',
          filters.join(';'),
          '-map',
          '[v]',
          '-map',
          '[a]',
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '23',
          '-pix_fmt',
          'yuv420p',
          '-g',
          String(fps * 2),
          '-keyint_min',
          String(fps * 2),
          '-sc_threshold',
          '0',
          '-c:a',
          'aac',
          '-b:a',
          '128k',
          '-movflags',
          '+faststart',
          this.files.abs(mp4Rel),
        ],
        { durationSeconds: total, onProgress: progressIn('encoding MP4', 5, 75), signal },
      );

      // 3. HLS: the MP4's own video (copied) and, when it is taller, a 360p rendition.
      await report('making HLS', 75, true);
      const hlsDir = path.join(out, 'hls');
      const small = height > 360;
      const hlsArgs = ['-i', this.files.abs(mp4Rel), '-map', '0:v:0', '-map', '0:a:0'];
      if (small) hlsArgs.push('-map', '0:v:0', '-map', '0:a:0');
      hlsArgs.push('-c:v:0', 'copy', '-c:a', 'copy');
      if (small) {
        hlsArgs.push(
          '-c:v:1',
          'libx264',
          '-filter:v:1',
          'scale=-2:360',
          '-preset:v:1',
          'veryfast',
          '-crf:v:1',
          '26',
          '-g:v:1',
          String(fps * 2),
          '-keyint_min:v:1',
          String(fps * 2),
          '-sc_threshold:v:1',
          '0',
        );
      }
      hlsArgs.push(
        '-f',
        'hls',
        '-hls_time',
        String(HLS_SECONDS),
        '-hls_playlist_type',
        'vod',
        '-hls_segment_filename',
        path.join(hlsDir, '%v', 'seg-%04d.ts'),
        '-master_pl_name',
        'master.m3u8',
        '-var_stream_map',
        small ? `v:0,a:0,name:${height}p v:1,a:1,name:360p` : `v:0,a:0,name:${height}p`,
        path.join(hlsDir, '%v', 'index.m3u8'),
      );
      await ffmpeg(hlsArgs, { durationSeconds: total, onProgress: progressIn('making HLS', 75, 95), signal });

      // 4. Poster and the transcriber's audio.
      await report('making poster and audio', 95, true);
      const posterRel = `${rel}/poster.jpg`;
      await ffmpeg(
        [
          '-ss',
          String(Math.min(3, total / 2).toFixed(2)),
          '-i',
          this.files.abs(mp4Rel),
          '-frames:v',
          '1',
          '-q:v',
          '3',
          this.files.abs(posterRel),
        ],
        { signal },
      );
      const audio = this.files.audioPath(rec.eventId, id);
      const audioTmp = path.join(work, 'audio.wav');
      await ffmpeg(['-i', this.files.abs(mp4Rel), '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', audioTmp], {
        signal,
      });
      fs.renameSync(audioTmp, audio);
      return { dir: rel, mp4: mp4Rel, hls: `${rel}/hls/master.m3u8`, poster: posterRel, audio };
    } catch (err) {
      fs.rmSync(out, { recursive: true, force: true });
      throw err;
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}
