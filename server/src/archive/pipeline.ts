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

export function connectArchivePipeline(d: PipelineDeps): void {
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

  d.recording.setAfterProcessing(async (eventId, files) => {
    try {
      const run = await d.transcripts.transcribeRecording(eventId, files.audioPath, { by: TRANSCRIBER });
      d.log.info(
        { eventId, cues: run.cues, audioSeconds: run.audioSeconds, realTimeFactor: run.realTimeFactor },
        'transcribed a recording',
      );
    } catch (err) {
      d.log.error({ err, eventId }, 'could not transcribe a recording');
    }
    const event = await ended(eventId);
    if (event) await indexEvent(event);
  });

  d.lifecycle.subscribe({
    async onEnded(eventId) {
      const event = await ended(eventId);
      if (event) await indexEvent(event);
    },
  });
}
