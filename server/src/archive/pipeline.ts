/**
 * From a finished panel to a searchable archive. When a recording has been processed (live or
 * ingested), its 16 kHz audio is transcribed, replacing the live captions' transcript; when an
 * event ends, and again once its transcript exists, its answered questions (with the moment each
 * was answered) are handed to search. Failures are logged: the replay stays available without a
 * transcript, and an organizer can upload one.
 */
import type { EventRecord, CatalogueStore } from '../events/store.ts';
import type { EventLifecycle } from '../live/lifecycle.ts';
import type { Logger } from '../log/logger.ts';
import type { RecordingService } from '../recording/recording.ts';
import type { Transcripts } from '../transcripts/transcripts.ts';
import type { SearchService } from './search/search.ts';
import type { ArchiveService } from './routes.ts';

export interface PipelineDeps {
  recording: Pick<RecordingService, 'setAfterProcessing'>;
  transcripts: Pick<Transcripts, 'transcribeRecording'>;
  search: Pick<SearchService, 'indexQuestions'>;
  archive: ArchiveService;
  catalogue: CatalogueStore;
  lifecycle: EventLifecycle;
  log: Logger;
}

export const TRANSCRIBER = { userId: null, name: 'Automatic transcription' };

export interface ArchivePipeline {
  /**
   * The transcription under way for an event's latest processed recording: resolves true when it
   * stored a transcript, false when it failed; null when none has started.
   */
  transcription(eventId: string): Promise<boolean> | null;
  /** Stops a transcription under way (the app is closing); it runs again for the next recording. */
  close(): void;
}

export function connectArchivePipeline(d: PipelineDeps): ArchivePipeline {
  const stopping = new AbortController();
  const transcriptions = new Map<string, Promise<boolean>>();
  /** Indexes the answered questions of an ended event (search also re-reads its transcript). */
  async function indexEvent(event: EventRecord): Promise<void> {
    const archive = await d.archive.get(event);
    await d.search.indexQuestions(
      event.id,
      archive.questions.map((q) => ({ id: q.id, text: q.text, at: q.answeredAt[0] ?? null })),
    );
  }

  async function ended(eventId: string): Promise<EventRecord | null> {
    const event = await d.catalogue.events.get(eventId);
    return event?.status === 'ended' ? event : null;
  }

  async function transcribe(eventId: string, audioPath: string): Promise<boolean> {
    try {
      const run = await d.transcripts.transcribeRecording(eventId, audioPath, {
        by: TRANSCRIBER,
        signal: stopping.signal,
      });
      d.log.info(
        { eventId, cues: run.cues, audioSeconds: run.audioSeconds, realTimeFactor: run.realTimeFactor },
        'transcribed a recording',
      );
      return true;
    } catch (err) {
      if (!stopping.signal.aborted) d.log.error({ err, eventId }, 'could not transcribe a recording');
      return false;
    }
  }

  d.recording.setAfterProcessing(async (eventId, files) => {
    const run = transcribe(eventId, files.audioPath);
    transcriptions.set(eventId, run);
    const ok = await run;
    if (stopping.signal.aborted) return;
    const event = await ended(eventId);
    if (ok && event) await indexEvent(event);
  });

  d.lifecycle.subscribe({
    async onEnded(eventId) {
      const event = await ended(eventId);
      if (event) await indexEvent(event);
    },
  });

  return {
    transcription: (eventId) => transcriptions.get(eventId) ?? null,
    close: () => stopping.abort(),
  };
}
