/**
 * The transcripts feature: what other modules call (the archive step, the demo pipeline, live
 * captions) and what the routes use. One instance per app (`createTranscripts`).
 *
 *   get(eventId)                                  → Transcript | null
 *   transcribeRecording(eventId, file, opts)      runs the engine on a recording, stores the cues
 *   replace(eventId, cues, { source, by })        stores cues from anywhere (an engine run elsewhere)
 *   importCaptions(eventId, bytes, type, by)      an uploaded WebVTT/SRT file (CaptionsError on a bad one)
 *   editCue(eventId, cueId, text, by, version?)   one correction, kept in the history
 *   edits(eventId)                                the history, newest first
 *   liveTranscriber({ onCues })                   chunked transcription for live captions
 *   onChange(listener)                            called with the event id after every change
 */
import type { CueInput, Transcript, TranscriptEdit, TranscriptSource } from '@colloquy/shared';
import { mediaDuration } from './audio.ts';
import { parseCaptions, type CaptionsFormat } from './captions.ts';
import { createTranscriber, type TranscribeConfig, type Transcriber } from './engine.ts';
import { LiveTranscriber, type LiveTranscriberOptions } from './live.ts';
import { TranscriptStore, type EditResult, type Editor } from './store.ts';
import type { Redis } from '../store/redis.ts';

export type { Editor, EditResult };

/** Who made machine changes (an engine run) in the history. */
export const MACHINE: Editor = { userId: null, name: 'speech recognition' };

export interface TranscribeRun {
  version: number;
  cues: number;
  audioSeconds: number;
  wallMs: number;
  /** audioSeconds / wall seconds: above 1 is faster than real time. */
  realTimeFactor: number;
}

export class Transcripts {
  readonly store: TranscriptStore;
  readonly engine: Transcriber;
  private readonly listeners = new Set<(eventId: string) => void | Promise<void>>();

  constructor(redis: Redis, engine: Transcriber) {
    this.store = new TranscriptStore(redis);
    this.engine = engine;
  }

  get(eventId: string): Promise<Transcript | null> {
    return this.store.get(eventId);
  }

  edits(eventId: string, limit?: number): Promise<TranscriptEdit[]> {
    return this.store.edits(eventId, limit);
  }

  /** Calls `listener(eventId)` after every stored change; returns the unsubscribe function. */
  onChange(listener: (eventId: string) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async changed(eventId: string): Promise<void> {
    for (const l of this.listeners) await l(eventId);
  }

  async replace(
    eventId: string,
    cues: readonly CueInput[],
    meta: { source: TranscriptSource; language?: string; by?: Editor },
  ): Promise<number> {
    const version = await this.store.replace(eventId, cues, { ...meta, by: meta.by ?? MACHINE });
    await this.changed(eventId);
    return version;
  }

  /** Appends live-caption cues to the event's transcript (see LiveTranscriber). */
  async append(eventId: string, cues: readonly CueInput[], source: TranscriptSource = this.engine.source) {
    const r = await this.store.append(eventId, cues, { source });
    if (r.ok && r.changed) await this.changed(eventId);
    return r;
  }

  /**
   * Runs the configured engine (or `opts.engine`) on an audio or video file and replaces the
   * event's transcript with the result.
   */
  async transcribeRecording(
    eventId: string,
    audioFile: string,
    opts: {
      engine?: Transcriber;
      language?: string;
      by?: Editor;
      signal?: AbortSignal;
      onProgress?: (fraction: number) => void;
    } = {},
  ): Promise<TranscribeRun> {
    const engine = opts.engine ?? this.engine;
    const audioSeconds = await mediaDuration(audioFile, opts.signal);
    const started = performance.now();
    const cues = await engine.transcribe(audioFile, {
      ...(opts.language ? { language: opts.language } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    const wallMs = performance.now() - started;
    const version = await this.replace(eventId, cues, {
      source: engine.source,
      ...(opts.language ? { language: opts.language } : {}),
      ...(opts.by ? { by: opts.by } : {}),
    });
    return { version, cues: cues.length, audioSeconds, wallMs, realTimeFactor: audioSeconds / (wallMs / 1000) };
  }

  /** Replaces the transcript with an uploaded file; throws CaptionsError (nothing stored) when it is bad. */
  async importCaptions(
    eventId: string,
    bytes: Uint8Array,
    contentType: string | undefined,
    by: Editor,
  ): Promise<{ version: number; format: CaptionsFormat; cues: number }> {
    const { format, cues } = await parseCaptions(bytes, contentType);
    const version = await this.replace(eventId, cues, { source: format === 'vtt' ? 'upload-vtt' : 'upload-srt', by });
    return { version, format, cues: cues.length };
  }

  async editCue(
    eventId: string,
    cueId: string,
    text: string,
    by: Editor,
    expectedVersion?: number,
  ): Promise<EditResult> {
    const r = await this.store.editCue(
      eventId,
      cueId,
      text,
      by,
      expectedVersion === undefined ? {} : { expectedVersion },
    );
    if (r.ok && r.changed) await this.changed(eventId);
    return r;
  }

  /** Chunked transcription with this engine, for live captions (see live.ts). */
  liveTranscriber(opts: Omit<LiveTranscriberOptions, 'engine'> & { engine?: Transcriber }): LiveTranscriber {
    return new LiveTranscriber({ engine: this.engine, ...opts });
  }
}

export function createTranscripts(redis: Redis, config?: TranscribeConfig, engine?: Transcriber): Transcripts {
  return new Transcripts(redis, engine ?? createTranscriber(config));
}
