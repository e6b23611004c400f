/**
 * Live captions. While an event is live and recorded, every chunk the recorder stores is fed, in
 * order, through one pipeline per recording segment (WebM → ffmpeg → 16 kHz PCM → the transcripts
 * feature's LiveTranscriber, which cuts the audio at pauses and runs the speech engine on each
 * piece). Each batch of cues is
 *
 *   - pushed to the event room as `captions:cue` (ephemeral: a plain room emit, no version),
 *   - kept as the event's recent lines in Redis (`GET /api/events/:slug/captions` for late joiners),
 *   - appended to the event's transcript as the live transcript (the transcription of the processed
 *     recording replaces it after the event).
 *
 * The delay of each cue is measured when it is sent: now minus the moment its last word was
 * spoken (the segment's start on the wall clock plus the cue's end). `stats(eventId)` gives the
 * figures; each batch and a summary at the end are logged.
 *
 * A segment's pipeline ends (decoding and transcribing what is left) when the event ends or its
 * recording stops — once the recorder's last chunks have come, or a grace period has passed — when
 * a newer segment starts, or after a long silence from the recorder. Recording switched off means
 * no chunks, so no captions: `available` says so.
 */
import type { CaptionLine, CaptionsCuePayload, CueInput } from '@colloquy/shared';
import type { CatalogueStore } from '../events/store.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { EventLifecycle } from '../live/lifecycle.ts';
import type { Logger } from '../log/logger.ts';
import { eventRoom } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RecordingService, StoredChunk } from '../recording/recording.ts';
import type { Redis } from '../store/redis.ts';
import { offsetCues } from '../transcripts/cues.ts';
import type { ChunkInfo } from '../transcripts/live.ts';
import type { Transcripts } from '../transcripts/transcripts.ts';
import { captionsRoutes } from './routes.ts';
import { SegmentCaptioner } from './segment.ts';
import { CaptionsStore } from './store.ts';

export interface CaptionsOptions {
  /** Shortest and longest piece of audio the engine gets (2 and 6 s; see LiveTranscriber). */
  minSeconds?: number;
  maxSeconds?: number;
  /** No chunk for this long while live: transcribe what is waiting (the recorder paused). 2.5 s. */
  idleFlushMs?: number;
  /** After the end: no chunk for this long means the recorder's last one came. 1.5 s. */
  endIdleMs?: number;
  /** After the end: stop waiting for the recorder's last chunks after this long. 12 s. */
  endMaxMs?: number;
  /** No chunk for this long: the recorder is gone; end the pipeline. 60 s. */
  deadMs?: number;
}

export interface CaptionsDeps {
  recording: Pick<RecordingService, 'listen' | 'enabled' | 'store'>;
  transcripts: Pick<Transcripts, 'append' | 'liveTranscriber'>;
  catalogue: Pick<CatalogueStore, 'events'>;
  redis: Redis;
  lifecycle: EventLifecycle;
  io(): IoServer | null;
  log: Logger;
  now(): Date;
  options?: CaptionsOptions;
}

/** Delay figures of one event's captions, in ms. */
export interface CaptionStats {
  cues: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Every cue's delay, in the order they were sent (capped). */
  delaysMs: number[];
}

interface Session {
  eventId: string;
  recordingId: string;
  segment: number;
  /** The segment's start on the wall clock (ms): its media time 0. */
  startedAtMs: number;
  captioner: SegmentCaptioner;
  lastChunkAt: number;
  /** Flushed since the last chunk (after an idle pause). */
  idleFlushed: boolean;
  endingSince: number | null;
  /** The event's slug, and where this segment starts on the recording's clock (seconds). */
  meta: Promise<{ slug: string; offset: number }>;
  /** Deliveries, one after another, so lines keep their order. */
  queue: Promise<void>;
}

const TICK_MS = 250;
const MAX_KEPT_DELAYS = 10_000;

export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export class LiveCaptions {
  readonly store: CaptionsStore;
  private readonly d: CaptionsDeps;
  private readonly o: Required<CaptionsOptions>;
  private readonly sessions = new Map<string, Session>();
  /** Pipelines started and not yet fully delivered, per event. */
  private readonly running = new Map<string, number>();
  private readonly delays = new Map<string, number[]>();
  /** The last cue start appended to each event's transcript (cues must not go back in time). */
  private readonly lastStart = new Map<string, number>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(d: CaptionsDeps) {
    this.d = d;
    this.o = {
      minSeconds: 2,
      maxSeconds: 6,
      idleFlushMs: 2_500,
      endIdleMs: 1_500,
      endMaxMs: 12_000,
      deadMs: 60_000,
      ...d.options,
    };
    this.store = new CaptionsStore(d.redis);
    this.unsubscribe.push(
      d.recording.listen({ chunk: (c) => this.onChunk(c), stopped: (id) => this.ending(id) }),
      d.lifecycle.subscribe({ onEnded: (id) => this.ending(id) }),
    );
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** Whether the event can have captions: only while it is recorded. */
  async available(eventId: string): Promise<boolean> {
    return this.d.recording.enabled && (await this.d.recording.store.enabled(eventId));
  }

  /** Whether a pipeline of the event is still running (or delivering its last lines), on this node. */
  active(eventId: string): boolean {
    return (this.running.get(eventId) ?? 0) > 0;
  }

  /** The delays measured for the event's captions on this node (null before the first). */
  stats(eventId: string): CaptionStats | null {
    const all = this.delays.get(eventId);
    if (!all || all.length === 0) return null;
    const sorted = [...all].sort((a, b) => a - b);
    return {
      cues: all.length,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      maxMs: sorted.at(-1)!,
      delaysMs: [...all],
    };
  }

  routes(api: GuardedRouter): void {
    captionsRoutes(api, this);
  }

  private onChunk(c: StoredChunk): void {
    if (this.closed) return;
    let s = this.sessions.get(c.eventId);
    if (s && (s.recordingId !== c.recordingId || s.segment < c.segment)) {
      // A newer segment (the recorder or the server restarted): the old stream is over.
      this.end(s);
      s = undefined;
    }
    if (s && s.segment > c.segment) return; // a late chunk of an older segment
    if (!s) {
      // Decoding needs the stream's header, in chunk 0: a segment joined midway waits for the next one.
      if (c.seq !== 0) return;
      s = this.open(c);
    }
    s.lastChunkAt = Date.now();
    s.idleFlushed = false;
    s.captioner.write(c.data);
  }

  private open(c: StoredChunk): Session {
    const { eventId } = c;
    const startedAtMs = Date.parse(c.segmentStartedAt) || this.d.now().getTime();
    const meta = (async () => {
      const event = await this.d.catalogue.events.get(eventId);
      const first = c.segment === 0 ? null : await this.d.recording.store.segment(c.recordingId, 0);
      const firstAt = first ? Date.parse(first.startedAt) : startedAtMs;
      return { slug: event?.slug ?? '', offset: Math.max(0, (startedAtMs - (firstAt || startedAtMs)) / 1000) };
    })();
    meta.catch(() => {});
    const s: Session = {
      eventId,
      recordingId: c.recordingId,
      segment: c.segment,
      startedAtMs,
      lastChunkAt: Date.now(),
      idleFlushed: false,
      endingSince: null,
      meta,
      queue: Promise.resolve(),
      captioner: new SegmentCaptioner({
        transcriber: (h) =>
          this.d.transcripts.liveTranscriber({ ...h, minSeconds: this.o.minSeconds, maxSeconds: this.o.maxSeconds }),
        onCues: (cues, chunk) => {
          s.queue = s.queue.then(() =>
            this.deliver(s, cues, chunk).catch((err: unknown) =>
              this.d.log.error({ err, eventId }, 'could not deliver captions'),
            ),
          );
        },
        onError: (err, where) => this.d.log.warn({ err, eventId, segment: c.segment, where }, 'live captions'),
      }),
    };
    this.sessions.set(eventId, s);
    this.running.set(eventId, (this.running.get(eventId) ?? 0) + 1);
    this.d.log.info({ eventId, recordingId: c.recordingId, segment: c.segment }, 'live captions started');
    return s;
  }

  /** The event ended or its recording stopped: end once the recorder's last chunks have come. */
  private ending(eventId: string): void {
    const s = this.sessions.get(eventId);
    if (s && s.endingSince === null) s.endingSince = Date.now();
  }

  private tick(): void {
    const now = Date.now();
    for (const s of [...this.sessions.values()]) {
      const quiet = now - s.lastChunkAt;
      if (s.endingSince !== null) {
        if (now - Math.max(s.endingSince, s.lastChunkAt) >= this.o.endIdleMs || now - s.endingSince >= this.o.endMaxMs)
          this.end(s);
      } else if (quiet >= this.o.deadMs) {
        this.end(s);
      } else if (quiet >= this.o.idleFlushMs && !s.idleFlushed) {
        s.idleFlushed = true;
        void s.captioner.flush();
      }
    }
  }

  /** Ends a segment's pipeline: what is left is decoded, transcribed and delivered. */
  private end(s: Session, kill = false): Promise<void> {
    if (this.sessions.get(s.eventId) === s) this.sessions.delete(s.eventId);
    const done = (kill ? s.captioner.kill() : s.captioner.finish())
      .catch((err: unknown) => this.d.log.warn({ err, eventId: s.eventId }, 'live captions did not end cleanly'))
      .then(() => s.queue)
      .finally(() => {
        const left = (this.running.get(s.eventId) ?? 1) - 1;
        if (left > 0) this.running.set(s.eventId, left);
        else this.running.delete(s.eventId);
        const st = this.stats(s.eventId);
        this.d.log.info(
          { eventId: s.eventId, segment: s.segment, cues: st?.cues ?? 0, p50Ms: st?.p50Ms, maxMs: st?.maxMs },
          'live captions ended',
        );
      });
    return done;
  }

  private async deliver(s: Session, cues: CueInput[], chunk: ChunkInfo): Promise<void> {
    const spoken = cues.filter((c) => c.text.trim() !== '');
    if (spoken.length === 0 || this.closed) return;
    const { slug, offset } = await s.meta;
    if (!slug) return;
    const sent = this.d.now();
    const sentAt = sent.toISOString();
    const onRecording = offsetCues(spoken, offset);
    const lines: CaptionLine[] = onRecording.map((c, i) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      sentAt,
      delayMs: Math.round(sent.getTime() - (s.startedAtMs + spoken[i]!.end * 1000)),
    }));
    const payload: CaptionsCuePayload = { slug, cues: lines, sentAt };
    this.d.io()?.to(eventRoom(s.eventId)).emit('captions:cue', payload);

    const kept = this.delays.get(s.eventId) ?? [];
    kept.push(...lines.map((l) => l.delayMs));
    if (kept.length > MAX_KEPT_DELAYS) kept.splice(0, kept.length - MAX_KEPT_DELAYS);
    this.delays.set(s.eventId, kept);
    this.d.log.info(
      {
        eventId: s.eventId,
        cues: lines.length,
        delayMs: lines.map((l) => l.delayMs),
        chunk: { start: chunk.start, end: chunk.end, processingMs: chunk.processingMs, engineMs: chunk.engineMs },
      },
      'captions sent',
    );

    // The transcript refuses cues that go back in time (segments can overlap by a second after a restart).
    let last = this.lastStart.get(s.eventId) ?? 0;
    const ordered = onRecording.map((c) => {
      const start = Math.max(c.start, last);
      last = start;
      return { ...c, start, end: Math.max(c.end, start) };
    });
    this.lastStart.set(s.eventId, last);
    const [, appended] = await Promise.all([
      this.store.push(s.eventId, lines),
      this.d.transcripts.append(s.eventId, ordered),
    ]);
    if (!appended.ok) this.d.log.warn({ eventId: s.eventId, code: appended.code }, 'live transcript not appended');
  }

  /** Stops every pipeline (server shutdown): no more decoding, and nothing more is sent. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const u of this.unsubscribe) u();
    const ends = [...this.sessions.values()].map((s) => this.end(s, true));
    // A transcription already running ends by itself; do not hold the shutdown for it.
    await Promise.race([Promise.all(ends), new Promise((r) => setTimeout(r, 3_000).unref())]);
  }
}

export function createCaptions(d: CaptionsDeps): LiveCaptions {
  return new LiveCaptions(d);
}
