/**
 * The past-event archive: what `/events/:slug` shows once an event has ended — the recording, its
 * transcript, chapters at the moments questions were answered and polls were run, the answered
 * questions and the poll results. Times are seconds from the start of the recording.
 */
import type { Poll } from './polls.ts';
import type { PublicRecording } from './recording.ts';
import type { Cue } from './transcripts.ts';

export interface ArchiveChapter {
  /** Seconds from the start of the recording. */
  start: number;
  title: string;
  kind: 'opening' | 'question' | 'poll';
  /** The question or poll id the chapter is about. */
  refId?: string;
}

export interface ArchiveQuestion {
  id: string;
  text: string;
  votes: number;
  /** Null for anonymous questions. */
  author: string | null;
  edited: boolean;
  /** Seconds into the recording at which it was being answered (each pin), earliest first. */
  answeredAt: number[];
}

/** GET /api/events/:slug/archive (public once the event has ended). */
export interface EventArchive {
  slug: string;
  /** Null while there is no processed recording (none made, or still processing). */
  recording: PublicRecording | null;
  /** Shown instead of the player while the recording is being prepared (0–100), else null. */
  processing: { progress: number; step: string | null } | null;
  transcript: { cues: Cue[]; vttUrl: string; txtUrl: string; language: string } | null;
  chapters: ArchiveChapter[];
  questions: ArchiveQuestion[];
  /** Closed polls whose results were published, with their results. */
  polls: Poll[];
}
