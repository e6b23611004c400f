/**
 * The recording feature: starts and stops recordings with the event's lifecycle, drives the
 * built-in recorder, takes chunks, and queues the processing job. This module's exports are the
 * API other features use (the past-event page, the demo, transcription):
 *
 *   getRecording(eventId)            → RecordingSummary | null
 *   ingestFile(eventId, file)        → runs a WebM/MP4 through the same processing; resolves when done
 *   reprocess(eventId)               → "run again"
 *   hooks.onLive / hooks.onEnded     → subscribed to the app's EventLifecycle (live/lifecycle.ts)
 *   setAfterProcessing(fn)           → called with (eventId, files) after each successful run
 *   listen({ chunk, stopped })       → each chunk once stored (in order per segment); a recording stopping
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecordingInfo, RecordingSegment, RecordingStatus } from '@colloquy/shared';
import type { CatalogueStore } from '../events/store.ts';
import { AppError } from '../http/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import { EventLifecycle } from '../live/lifecycle.ts';
import { RecordingFiles } from './files.ts';
import { RecordingProcessor, type AfterProcessing, type ProcessedFiles } from './processor.ts';
import { ChromiumRecorder, type Recorder } from './recorder.ts';
import { RecordingStore, type StoredRecording } from './store.ts';
import { recorderToken } from './token.ts';

export type { AfterProcessing, ProcessedFiles };

/** What the past-event page and the demo read. URLs are paths on this server (under /media). */
export interface RecordingSummary {
  id: string;
  status: RecordingStatus;
  durationSeconds: number | null;
  mp4Url: string | null;
  hlsUrl: string | null;
  posterUrl: string | null;
  /** 16 kHz mono WAV for the transcriber (absolute path; not served). */
  audioPath: string | null;
  startedAt: string;
  segments: RecordingSegment[];
}

export interface RecordingOptions {
  /** RECORDING_ENABLED: off means no recording starts and chunks are refused. */
  enabled: boolean;
  /** 'chromium': the built-in recorder; 'external': a recorder opened elsewhere (Egress, tests). */
  recorder: 'chromium' | 'external';
  chromiumPath: string;
  /** Raw segments and WAV (private). */
  dir: string;
}

export interface RecordingDeps {
  redis: Redis;
  catalogue: CatalogueStore;
  livekit: { url: string; apiKey: string; apiSecret: string };
  log: Logger;
  secret: string;
  mediaDir: string;
  options: RecordingOptions;
  /** Where the server itself is reachable (the built-in recorder opens the page there). */
  appOrigin(): string;
  now(): Date;
  /** Status poll; 2 s unless a test says otherwise. */
  pollMs?: number;
  /** How long chunks are still taken after the event ended (the recorder's last chunk); 8 s. */
  stopGraceMs?: number;
}

const DISCOVERY_EVERY = 3;

/** A chunk as stored and acknowledged (live captions decode these). */
export interface StoredChunk {
  eventId: string;
  recordingId: string;
  segment: number;
  seq: number;
  data: Buffer;
  /** When the segment was opened (ISO): its media time 0 on the wall clock. */
  segmentStartedAt: string;
}

/** Called synchronously, so keep it quick; a throw is logged and ignored. */
export interface RecordingListener {
  chunk?(c: StoredChunk): void;
  /** The recording stopped taking new segments (event ended, switched off); its last chunks may still come. */
  stopped?(eventId: string): void;
}

export class RecordingService {
  readonly store: RecordingStore;
  readonly files: RecordingFiles;
  readonly processor: RecordingProcessor;
  readonly hooks: EventLifecycle;
  readonly recorder: Recorder | null;
  private readonly d: RecordingDeps;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private ticking: Promise<void> | null = null;
  private readonly starting = new Set<string>();
  private closed = false;
  private readonly listeners = new Set<RecordingListener>();

  constructor(d: RecordingDeps) {
    this.d = d;
    this.store = new RecordingStore(d.redis);
    this.files = new RecordingFiles(d.options.dir, d.mediaDir);
    this.processor = new RecordingProcessor({ store: this.store, files: this.files, log: d.log, now: d.now });
    this.hooks = new EventLifecycle((err, hook, eventId) =>
      d.log.error({ err, hook, eventId }, 'recording hook failed'),
    );
    this.hooks.subscribe({
      onGreenroom: (id) => this.onGreenroom(id),
      onLive: (id) => this.onLive(id),
      onEnded: (id) => this.onEnded(id),
    });
    this.recorder =
      d.options.recorder === 'chromium'
        ? new ChromiumRecorder({ chromiumPath: d.options.chromiumPath, log: d.log })
        : null;
  }

  get enabled(): boolean {
    return this.d.options.enabled;
  }

  /** Starts the status poll and resumes jobs that were queued or running when the server stopped. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), this.d.pollMs ?? 2000);
    this.timer.unref();
    void this.tick();
    void this.processor.kick();
  }

  setAfterProcessing(fn: AfterProcessing | null): void {
    this.processor.afterProcessing = fn;
  }

  /** Adds a listener for stored chunks and stops; returns a function that removes it. */
  listen(listener: RecordingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The chunk route calls this once a chunk is durably stored (in order within its segment). */
  chunkStored(c: StoredChunk): void {
    for (const l of this.listeners) {
      try {
        l.chunk?.(c);
      } catch (err) {
        this.d.log.error({ err, eventId: c.eventId }, 'a chunk listener failed');
      }
    }
  }

  /** The green room opened: get the recorder browser ready, so the recording starts with the live moment. */
  async onGreenroom(eventId: string): Promise<void> {
    if (!this.enabled || !this.recorder?.warm || !(await this.store.enabled(eventId))) return;
    const event = await this.d.catalogue.events.get(eventId);
    if (!event) return;
    await this.recorder.warm(eventId, `${this.d.appOrigin()}/record/${encodeURIComponent(event.slug)}?standby=1`);
  }

  /** True when the recorder waits in standby for the event to go live (the green room is open). */
  async recorderStandingBy(eventId: string): Promise<boolean> {
    return (await this.recorder?.standing?.(eventId).catch(() => false)) ?? false;
  }

  /** The event went live: record it (unless switched off), resuming into a new segment after a restart. */
  async onLive(eventId: string): Promise<void> {
    if (!this.enabled || !(await this.store.enabled(eventId))) return;
    const event = await this.d.catalogue.events.get(eventId);
    if (!event) return;
    const { rec } = await this.store.startRecording(eventId, this.d.now());
    this.d.log.info({ eventId, recordingId: rec.id }, 'recording');
    void this.ensureRecorder(rec.id, eventId, event.slug);
  }

  /** The event ended: let the recorder send its last chunk, then queue the processing. Returns at once. */
  async onEnded(eventId: string): Promise<void> {
    const rec = await this.store.forEvent(eventId);
    if (!rec || rec.status !== 'recording') return;
    const grace = this.d.stopGraceMs ?? 8_000;
    const deadline = Date.now() + grace;
    const ok = await this.store.casStatus(rec.id, 'recording', {
      status: 'stopping',
      stopDeadline: deadline,
      endedAt: this.d.now().toISOString(),
      updatedAt: this.d.now().toISOString(),
    });
    if (!ok) return;
    for (const l of this.listeners) {
      try {
        l.stopped?.(eventId);
      } catch (err) {
        this.d.log.error({ err, eventId }, 'a recording listener failed');
      }
    }
    // The page is asked to stop at once, but its last upload is not awaited here: the stage's
    // "end" must not wait for it. An external recorder gets the grace period; the poll queues the job.
    const recorder = this.recorder;
    if (recorder) {
      void recorder
        .stop(eventId, Math.max(500, grace - 500))
        .then(() => this.finishStopping(rec.id))
        .catch((err: unknown) => this.d.log.error({ err, eventId }, 'could not stop the recorder'));
    }
  }

  private async finishStopping(id: string): Promise<void> {
    const rec = await this.store.get(id);
    if (!rec || rec.status !== 'stopping') return;
    if (rec.segmentCount === 0 || this.files.existingSegments(rec.eventId, id, rec.segmentCount).length === 0) {
      await this.store.casStatus(id, 'stopping', { status: 'failed', error: 'Nothing was recorded', step: 'failed' });
      await this.store.removeActive(id);
      return;
    }
    await this.store.enqueue(id, this.d.now());
    void this.processor.kick();
  }

  private async ensureRecorder(id: string, eventId: string, slug: string): Promise<void> {
    if (!this.recorder || this.starting.has(eventId) || this.closed) return;
    this.starting.add(eventId);
    try {
      if (await this.recorder.healthy(eventId)) return;
      const token = recorderToken(this.d.secret, eventId, id);
      const url = `${this.d.appOrigin()}/record/${encodeURIComponent(slug)}?token=${encodeURIComponent(token)}`;
      await this.recorder.start(eventId, url);
    } catch (err) {
      this.d.log.error({ err, eventId }, 'could not start the recorder');
    } finally {
      this.starting.delete(eventId);
    }
  }

  /** The poll: end recordings whose event is no longer live, restart dead recorders, find live events. */
  private tick(): Promise<void> {
    if (this.ticking || this.closed) return this.ticking ?? Promise.resolve();
    this.ticking = (async () => {
      try {
        const seen = new Set<string>();
        for (const id of await this.store.activeIds()) {
          const rec = await this.store.get(id);
          if (!rec) {
            await this.store.removeActive(id);
            continue;
          }
          seen.add(rec.eventId);
          const event = await this.d.catalogue.events.get(rec.eventId);
          if (rec.status === 'recording') {
            // Only 'ended' (or a deleted event) ends it: the stage may call onLive just before it sets 'live'.
            const wanted =
              !!event && event.status !== 'ended' && this.enabled && (await this.store.enabled(rec.eventId));
            if (!wanted) await this.onEnded(rec.eventId);
            else if (event.status === 'live') void this.ensureRecorder(rec.id, rec.eventId, event.slug);
          } else if (rec.status === 'stopping') {
            if (!rec.stopDeadline || Date.now() >= rec.stopDeadline) await this.finishStopping(rec.id);
          } else {
            await this.store.removeActive(id);
          }
        }
        // Jobs another node dropped (its lock expired) or that were queued while this one was busy.
        void this.processor.kick();
        if (this.enabled && this.ticks++ % DISCOVERY_EVERY === 0) {
          for (const e of await this.d.catalogue.events.all()) {
            if (e.status === 'live' && !seen.has(e.id)) {
              const rec = await this.store.forEvent(e.id);
              if (
                !rec ||
                (rec.status !== 'recording' && rec.status !== 'stopping' && rec.source === 'live' && !rec.endedAt)
              ) {
                await this.onLive(e.id);
              }
            }
          }
        }
      } catch (err) {
        this.d.log.error({ err }, 'recording poll failed');
      }
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  /**
   * The recorder token for the event's current recording (for an external recorder such as
   * LiveKit Egress: open /record/<slug>?token=…), or null when none is being taken.
   */
  async recorderToken(eventId: string): Promise<string | null> {
    const rec = await this.store.forEvent(eventId);
    if (!rec || (rec.status !== 'recording' && rec.status !== 'stopping')) return null;
    return recorderToken(this.d.secret, eventId, rec.id);
  }

  /** Runs the poll once now (tests). */
  poll(): Promise<void> {
    return this.tick();
  }

  async info(rec: StoredRecording): Promise<RecordingInfo> {
    const urls = rec.outputs;
    return {
      id: rec.id,
      eventId: rec.eventId,
      status: rec.status,
      source: rec.source,
      startedAt: rec.startedAt,
      endedAt: rec.endedAt,
      segments: await this.store.segments(rec),
      durationSeconds: rec.durationSeconds,
      progress: rec.status === 'ready' ? 100 : rec.progress,
      step: rec.step,
      error: rec.error,
      runs: rec.runs,
      mp4Url: urls ? `/media/${urls.mp4}` : null,
      hlsUrl: urls ? `/media/${urls.hls}` : null,
      posterUrl: urls ? `/media/${urls.poster}` : null,
      updatedAt: rec.updatedAt,
    };
  }

  /** The event's recording for the past-event page and the demo, or null when there is none. */
  async getRecording(eventId: string): Promise<RecordingSummary | null> {
    const rec = await this.store.forEvent(eventId);
    if (!rec) return null;
    const i = await this.info(rec);
    return {
      id: rec.id,
      status: rec.status,
      durationSeconds: rec.durationSeconds,
      mp4Url: i.mp4Url,
      hlsUrl: i.hlsUrl,
      posterUrl: i.posterUrl,
      audioPath: rec.outputs && fs.existsSync(rec.outputs.audio) ? rec.outputs.audio : null,
      startedAt: rec.startedAt,
      segments: i.segments,
    };
  }

  /**
   * Feeds an existing media file (WebM or MP4 with video, audio optional) through the same
   * processing as a live recording, as the event's recording (replacing any earlier one's
   * files). Resolves when processing has ended (status ready or failed).
   */
  async ingestFile(eventId: string, file: string): Promise<RecordingSummary> {
    if (!(await this.d.catalogue.events.get(eventId))) throw new AppError('not_found', 'No such event');
    const abs = path.resolve(file);
    if (!fs.statSync(abs).isFile()) throw new Error(`not a file: ${abs}`);
    const prior = await this.store.forEvent(eventId);
    if (prior && (prior.status === 'recording' || prior.status === 'stopping' || prior.status === 'processing')) {
      throw new AppError('conflict', 'The event is being recorded or processed');
    }
    const rec = await this.store.createFromFile(eventId, abs, this.d.now());
    // Keep the old run number going, so new files never reuse an old URL.
    if (prior) await this.store.update(rec.id, { runs: prior.runs });
    void this.processor.kick();
    await this.processor.waitFor(rec.id);
    return (await this.getRecording(eventId))!;
  }

  /** "Run again": queues the job for the event's recording; resolves once queued. */
  async reprocess(eventId: string): Promise<StoredRecording> {
    const rec = await this.store.forEvent(eventId);
    if (!rec) throw new AppError('not_found', 'This event has no recording');
    if (rec.status !== 'ready' && rec.status !== 'failed') {
      throw new AppError('conflict', `The recording is ${rec.status}; run it again once that has finished`);
    }
    if (rec.source === 'live' && this.files.existingSegments(rec.eventId, rec.id, rec.segmentCount).length === 0) {
      throw new AppError('conflict', 'Nothing was recorded');
    }
    await this.store.enqueue(rec.id, this.d.now());
    void this.processor.kick();
    return (await this.store.get(rec.id))!;
  }

  async setEnabled(eventId: string, enabled: boolean): Promise<void> {
    await this.store.setEnabled(eventId, enabled);
    const event = await this.d.catalogue.events.get(eventId);
    if (!enabled) await this.onEnded(eventId);
    else if (event?.status === 'live') await this.onLive(eventId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking?.catch(() => {});
    await this.recorder?.close();
    await this.processor.close();
  }
}
