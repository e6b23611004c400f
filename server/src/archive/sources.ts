/**
 * Where the archive's inputs come from: small adapters over the other features' module APIs
 * (never their Redis keys).
 *
 *   recording   RecordingService.getRecording has no progress or step, so the recording is read
 *               with the service's own `store.forEvent` + `info` (the organizer view's source).
 *   transcript  Transcripts.get.
 *   questions   the Q&A feature's public snapshot through the live registry (what a visitor may
 *               see: approved and answered questions, no authors of anonymous ones).
 *   polls       polls' `closedPollsWithResults` (filtered to the published ones in archive.ts).
 *   went live   the stage's lifecycle (`liveAt`), the time base when there is no recording.
 */
import type { Poll, QaQuestion, QaState, StageLifecycle, Transcript } from '@colloquy/shared';
import type { EventRecord } from '../events/store.ts';
import type { Live } from '../live/registry.ts';
import type { Redis } from '../store/redis.ts';
import { closedPollsWithResults } from '../polls/feature.ts';
import type { RecordingService } from '../recording/recording.ts';
import type { Transcripts } from '../transcripts/transcripts.ts';
import type { ArchiveInput, ArchiveRecordingInput } from './archive.ts';

export interface ArchiveSources {
  recording: Pick<RecordingService, 'store' | 'info'>;
  transcripts: Pick<Transcripts, 'get'>;
  live: Pick<Live, 'snapshot'>;
  redis: Redis;
  /** The stage's lifecycle of the event (when it went live), if the stage feature is there. */
  lifecycle?(event: EventRecord): Promise<StageLifecycle>;
}

/** The event's recording with its progress, or null when none was made. */
export async function recordingOf(
  s: Pick<ArchiveSources, 'recording'>,
  eventId: string,
): Promise<ArchiveRecordingInput | null> {
  const stored = await s.recording.store.forEvent(eventId);
  if (!stored) return null;
  const i = await s.recording.info(stored);
  return {
    status: i.status,
    startedAt: i.startedAt,
    // Segments place live moments in a recording that was resumed; an ingested file has one piece.
    segments: i.source === 'live' ? i.segments : [],
    durationSeconds: i.durationSeconds,
    progress: i.progress,
    step: i.step,
    mp4Url: i.mp4Url,
    hlsUrl: i.hlsUrl,
    posterUrl: i.posterUrl,
  };
}

/** Every question a visitor may see, with its "answering now" spans. */
export async function publicQuestions(s: Pick<ArchiveSources, 'live'>, event: EventRecord): Promise<QaQuestion[]> {
  const snap = await s.live.snapshot(event, 'qa', { role: 'visitor', userId: null });
  const state = snap.state as QaState | null;
  return state ? Object.values(state.questions) : [];
}

export async function archiveInput(s: ArchiveSources, event: EventRecord): Promise<ArchiveInput> {
  const [recording, transcript, questions, polls, lifecycle] = await Promise.all([
    recordingOf(s, event.id),
    s.transcripts.get(event.id) as Promise<Transcript | null>,
    publicQuestions(s, event),
    closedPollsWithResults(s.redis, event.id) as Promise<Poll[]>,
    s.lifecycle ? s.lifecycle(event).catch(() => null) : Promise.resolve(null),
  ]);
  return {
    slug: event.slug,
    recording,
    fallbackStart: lifecycle?.liveAt ?? event.startsAt,
    transcript,
    questions,
    polls,
  };
}
