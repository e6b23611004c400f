/**
 * The past-event archive: assembles what `/events/:slug` shows once an event has ended (the
 * EventArchive contract in shared/src/archive.ts) from the other features' modules — the
 * recording, the transcript, the answered questions and the published polls — and maps the live
 * moments (a question pinned as "answering now", a poll launched) to seconds into the recording.
 *
 * The reading is split in two: `sources.ts` calls the other modules (never their Redis keys), and
 * `buildArchive` here is a pure function of what they returned, so the time mapping and the
 * chapters are unit-tested without Redis (archive.test.ts).
 */
import {
  RECORDING_LIMITS,
  type ArchiveChapter,
  type ArchiveQuestion,
  type Cue,
  type EventArchive,
  type Poll,
  type PublicRecording,
  type QaQuestion,
  type RecordingSegment,
  type RecordingStatus,
  type Transcript,
} from '@colloquy/shared';

/** The recording as the archive needs it (see sources.ts: `recordingOf`). */
export interface ArchiveRecordingInput {
  status: RecordingStatus;
  /** When recording started (ISO): the instant that is second 0 of the video. */
  startedAt: string;
  /** Live recordings: the pieces concatenated back to back (a restart opens a new one). */
  segments: RecordingSegment[];
  durationSeconds: number | null;
  progress: number;
  step: string | null;
  mp4Url: string | null;
  hlsUrl: string | null;
  posterUrl: string | null;
}

export interface ArchiveInput {
  slug: string;
  recording: ArchiveRecordingInput | null;
  /**
   * The instant that is second 0 when there is no recording (the moment the event went live, or
   * its scheduled start): chapters then still order and name the moments.
   */
  fallbackStart: string;
  transcript: Transcript | null;
  /** Every question of the public Q&A projection (filtered here). */
  questions: QaQuestion[];
  /** Closed polls with results (filtered here to the published ones). */
  polls: Poll[];
}

/** Longest chapter title, in characters (the full text is in the questions list). */
export const CHAPTER_TITLE_MAX = 64;

/** Shortens `text` to at most `max` characters at a word boundary, with an ellipsis. */
export function shorten(text: string, max = CHAPTER_TITLE_MAX): string {
  const clean = text.replace(/\s+/gu, ' ').trim();
  const chars = [...clean];
  if (chars.length <= max) return clean;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  const head = space >= max / 2 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.!?-]+$/u, '')}…`;
}

const round = (s: number) => Math.round(s * 10) / 10;

/**
 * Maps wall-clock instants to seconds into the processed video. A live recording is its segments
 * concatenated without gaps, each made of `chunks` one-second MediaRecorder chunks; an instant
 * inside segment k is (the chunks before it) + (time since segment k started). Instants in a gap
 * between segments (the recorder was restarting) fall on the start of the next segment. File
 * ingests and recordings without segment data use the recording's start instant alone. The result
 * is clamped to [0, duration] (no upper bound while the duration is unknown).
 */
export function timeMapper(
  start: string,
  segments: readonly RecordingSegment[] = [],
  durationSeconds: number | null = null,
): (instant: string) => number {
  const base = Date.parse(start);
  const chunkSeconds = RECORDING_LIMITS.chunkMs / 1000;
  const pieces: { at: number; offset: number; length: number }[] = [];
  let offset = 0;
  for (const s of [...segments].sort((a, b) => a.index - b.index)) {
    const at = Date.parse(s.startedAt);
    if (!Number.isFinite(at) || s.chunks <= 0) continue;
    const length = s.chunks * chunkSeconds;
    pieces.push({ at, offset, length });
    offset += length;
  }
  const clamp = (s: number) => {
    const low = Math.max(0, s);
    return round(durationSeconds !== null && durationSeconds > 0 ? Math.min(low, durationSeconds) : low);
  };
  return (instant) => {
    const t = Date.parse(instant);
    if (!Number.isFinite(t)) return 0;
    if (pieces.length === 0) return clamp((t - (Number.isFinite(base) ? base : t)) / 1000);
    let piece = pieces[0]!;
    for (const p of pieces) if (p.at <= t) piece = p;
    const into = (t - piece.at) / 1000;
    return clamp(piece.offset + Math.min(Math.max(0, into), piece.length));
  };
}

/** Cues without their per-word timings (the page needs the text; the words only make it heavier). */
const lightCue = (c: Cue): Cue => ({
  id: c.id,
  start: c.start,
  end: c.end,
  text: c.text,
  ...(c.speaker ? { speaker: c.speaker } : {}),
});

/** A question that was answered: marked answered, or pinned as "answering now" at least once. */
const wasAnswered = (q: QaQuestion) => q.status === 'answered' || (q.answeringAt?.length ?? 0) > 0;

export function buildArchive(input: ArchiveInput): EventArchive {
  const rec = input.recording;
  const toSeconds = rec
    ? timeMapper(rec.startedAt, rec.segments, rec.status === 'ready' ? rec.durationSeconds : null)
    : timeMapper(input.fallbackStart);

  let recording: PublicRecording | null = null;
  let processing: EventArchive['processing'] = null;
  if (rec?.status === 'ready' && rec.mp4Url && rec.hlsUrl && rec.posterUrl) {
    recording = {
      status: 'ready',
      durationSeconds: rec.durationSeconds ?? 0,
      mp4Url: rec.mp4Url,
      hlsUrl: rec.hlsUrl,
      posterUrl: rec.posterUrl,
    };
  } else if (rec && rec.status !== 'failed' && rec.status !== 'ready') {
    // While recording or stopping, the job's step and progress are a previous run's (or none).
    const job = rec.status === 'queued' || rec.status === 'processing';
    processing = {
      progress: job ? Math.max(0, Math.min(100, rec.progress)) : 0,
      step: job ? rec.step : 'finishing the recording',
    };
  }

  const questions: ArchiveQuestion[] = input.questions
    .filter(wasAnswered)
    .map((q) => ({
      id: q.id,
      text: q.text,
      votes: q.votes,
      author: q.author?.name ?? null,
      edited: q.edited,
      answeredAt: (q.answeringAt ?? []).map((span) => toSeconds(span.start)).sort((a, b) => a - b),
    }))
    .sort((a, b) => (a.answeredAt[0] ?? Infinity) - (b.answeredAt[0] ?? Infinity) || Number(a.id) - Number(b.id));

  const polls = input.polls.filter((p) => p.state === 'closed' && p.published && p.results !== null);

  const chapters: ArchiveChapter[] = [{ start: 0, title: 'Opening', kind: 'opening' }];
  for (const q of questions) {
    if (q.answeredAt.length > 0) {
      chapters.push({ start: q.answeredAt[0]!, title: shorten(q.text), kind: 'question', refId: q.id });
    }
  }
  for (const p of polls) {
    if (p.openedAt) {
      chapters.push({ start: toSeconds(p.openedAt), title: shorten(`Poll: ${p.question}`), kind: 'poll', refId: p.id });
    }
  }
  const order = { opening: 0, question: 1, poll: 2 } as const;
  chapters.sort((a, b) => a.start - b.start || order[a.kind] - order[b.kind]);

  const t = input.transcript;
  const enc = encodeURIComponent(input.slug);
  return {
    slug: input.slug,
    recording,
    processing,
    transcript:
      t && t.cues.length > 0
        ? {
            cues: t.cues.map(lightCue),
            vttUrl: `/events/${enc}/transcript.vtt`,
            txtUrl: `/events/${enc}/transcript.txt`,
            language: t.language,
          }
        : null,
    chapters,
    questions,
    polls,
  };
}
