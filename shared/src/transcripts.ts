/**
 * Transcripts: an event's timed cues (from a speech engine or an organizer's upload), served as
 * WebVTT, text and JSON, and corrected cue by cue with a kept history of edits.
 */
import { z } from 'zod';

export const TRANSCRIPT_LIMITS = {
  /** Largest WebVTT or SRT upload. */
  uploadBytes: 2 * 1024 * 1024,
  /** Most cues one transcript may hold (about 14 hours of 5-second cues). */
  maxCues: 10_000,
  /** Longest cue text (after an edit or an upload). */
  cueTextMaxLength: 1_000,
  /** Edits kept per event (oldest dropped first). */
  historyMax: 1_000,
} as const;

/** One recognised word with its times in seconds from the start of the recording. */
export interface TranscriptWord {
  start: number;
  end: number;
  text: string;
  /** 0..1 when the engine gives one. */
  confidence?: number;
}

/** A cue as an engine or a parser makes it, before storage gives it an id. */
export interface CueInput {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  /** Plain text (no markup). */
  text: string;
  /** Who speaks, when the source says (a WebVTT `<v Name>` span). */
  speaker?: string;
  words?: TranscriptWord[];
}

export interface Cue extends CueInput {
  /** Stable while the transcript is not replaced: `c1`, `c2`, … in time order. */
  id: string;
}

/** Where the cues came from. */
export const TranscriptSource = z.enum(['pocketsphinx', 'openai', 'upload-vtt', 'upload-srt', 'other']);
export type TranscriptSource = z.infer<typeof TranscriptSource>;

export interface Transcript {
  eventId: string;
  /** Goes up by one with every replacement and every cue edit. */
  version: number;
  source: TranscriptSource;
  /** BCP 47 tag, e.g. `en`. */
  language: string;
  updatedAt: string;
  cues: Cue[];
}

/** One change to a transcript, kept for organizers: a cue edit or a replacement. */
export interface TranscriptEdit {
  kind: 'cue' | 'replace';
  /** The transcript version this change produced. */
  version: number;
  at: string;
  by: { userId: string | null; name: string };
  /** Cue edits: which cue, and its text before and after. */
  cueId?: string;
  before?: string;
  after?: string;
  /** Replacements: where the new cues came from, and how many. */
  source?: TranscriptSource;
  cueCount?: number;
}

/** PATCH body for one cue. `version`, when sent, must be the transcript's current version. */
export const CueEditInput = z.object({
  text: z.string().trim().min(1).max(TRANSCRIPT_LIMITS.cueTextMaxLength),
  version: z.number().int().min(1).optional(),
});
export type CueEditInput = z.infer<typeof CueEditInput>;

export const CueId = z.string().regex(/^c[1-9][0-9]{0,5}$/, 'not a cue id');

/** Formats seconds as `m:ss` or `h:mm:ss`, as the "at 12:34" moment links read. */
export function formatMoment(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
