/**
 * The demo archive job: gives each seeded past Living Lab panel a real archive made by the real
 * pipeline. Per panel:
 *
 *   1. the recording is spoken and drawn (media.ts), or taken from the cache under DATA_DIR;
 *   2. it goes through `recording.ingestFile` — the live recordings' processing (MP4, HLS, poster,
 *      WAV) — whose progress is what the event page shows while the archive is prepared;
 *   3. the archive pipeline (archive/pipeline.ts) transcribes it after processing; without that
 *      pipeline the job calls the same `transcripts.transcribeRecording` itself;
 *   4. the script's audience questions (with "answering now" spans at the seconds they are read
 *      out and answered) and its poll (closed, published, with results) replace the event's Q&A
 *      and polls, timed from the recording's start; the questions go to search.
 *
 * Idempotent: a panel whose recording, transcript and moments were made from the same script
 * hash is left alone, so a restart costs a few Redis reads. Only events marked as demo are
 * touched. The job's own record per event is in state.ts.
 */
import type { CatalogueStore } from '../../events/store.ts';
import type { Live } from '../../live/registry.ts';
import type { Logger } from '../../log/logger.ts';
import type { RecordingService } from '../../recording/recording.ts';
import type { SearchService } from '../../archive/search/search.ts';
import type { Redis } from '../../store/redis.ts';
import type { ArchivePipeline } from '../../archive/pipeline.ts';
import type { Transcripts } from '../../transcripts/transcripts.ts';
import { wordErrorRate } from '../../transcripts/wer.ts';
import { ensurePanelMedia, panelHash } from './media.ts';
import { cardsFor, importMoments } from './moments.ts';
import { DEMO_PANEL_SCRIPTS, spokenText, type DemoPanelScript } from './scripts.ts';
import { forgetRemovedEvents, pruneDemoMedia, readState, writeState } from './state.ts';

export { demoMediaDir } from './state.ts';

export type DemoStep =
  'making the recording' | 'processing the recording' | 'transcribing' | 'adding questions and polls' | 'ready';

export interface DemoProgress {
  /** 1-based. */
  panel: number;
  panels: number;
  slug: string;
  step: DemoStep;
  /** 0–100 within the step, or null when unknown. */
  percent: number | null;
  /** True when the percent is an estimate (the pipeline's transcription reports none). */
  estimated?: boolean;
}

export interface PanelReport {
  slug: string;
  outcome: 'ready' | 'unchanged' | 'skipped' | 'failed';
  reason?: string;
  hash?: string;
  seconds: number;
  /** The recording's length (s), once ready. */
  durationSeconds?: number;
  mediaCached?: boolean;
  /** Word error rate of the transcript against the script (0..1). */
  wer?: number;
  /** Who made the transcript this time: the archive pipeline, or this job (no pipeline, or it failed). */
  transcribedBy?: 'pipeline' | 'job';
}

export interface DemoArchiveDeps {
  redis: Redis;
  catalogue: CatalogueStore;
  live: Live;
  recording: RecordingService;
  transcripts: Transcripts;
  /** The app's after-processing transcription (archive/pipeline.ts), when it is wired. */
  pipeline?: Pick<ArchivePipeline, 'transcription'>;
  search: Pick<SearchService, 'indexQuestions'>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Where generated media is cached (DATA_DIR/demo-media). */
  cacheDir: string;
  /** The panels to prepare; the demo's three Living Lab panels unless given (tests pass a short one). */
  scripts?: DemoPanelScript[];
  onProgress?: (p: DemoProgress) => void;
  /** Longest wait for the pipeline's transcript after processing; 10 minutes. */
  transcriptTimeoutMs?: number;
}

/** Real-time factor assumed for the pipeline's transcription until one has been measured. */
const ASSUMED_RTF = 6;

export class DemoArchives {
  private readonly d: DemoArchiveDeps;
  private readonly abort = new AbortController();
  private running: Promise<PanelReport[]> | null = null;
  private rtf = ASSUMED_RTF;

  constructor(d: DemoArchiveDeps) {
    this.d = d;
  }

  get scripts(): DemoPanelScript[] {
    return this.d.scripts ?? DEMO_PANEL_SCRIPTS;
  }

  /** Prepares every panel that needs it, one after another. Concurrent calls share one run. */
  prepare(): Promise<PanelReport[]> {
    this.running ??= this.prepareAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Stops between steps and kills the media tools it runs. Waits at most `graceMs` for the run to
   * notice: a recording being processed is not waited for (the app's close interrupts it, and the
   * recording module resumes it at the next start).
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      (this.running ?? Promise.resolve()).catch(() => {}),
      new Promise((r) => (timer = setTimeout(r, graceMs))),
    ]);
    clearTimeout(timer);
  }

  private get stopped() {
    return this.abort.signal.aborted;
  }

  private async prepareAll(): Promise<PanelReport[]> {
    const reports: PanelReport[] = [];
    const scripts = this.scripts;
    for (const [n, script] of scripts.entries()) {
      if (this.stopped) break;
      const started = performance.now();
      const progress = (step: DemoStep, percent: number | null, estimated = false) =>
        this.d.onProgress?.({
          panel: n + 1,
          panels: scripts.length,
          slug: script.slug,
          step,
          percent: percent === null ? null : Math.max(0, Math.min(100, Math.round(percent))),
          ...(estimated ? { estimated } : {}),
        });
      try {
        const r = await this.prepareOne(script, progress);
        reports.push({ ...r, seconds: (performance.now() - started) / 1000 });
      } catch (err) {
        if (this.stopped) break;
        this.d.log.error({ err, slug: script.slug }, 'demo archive failed');
        reports.push({
          slug: script.slug,
          outcome: 'failed',
          reason: (err as Error).message.slice(0, 300),
          seconds: (performance.now() - started) / 1000,
        });
      }
    }
    if (!this.stopped) {
      await forgetRemovedEvents(this.d.redis, this.d.catalogue);
      // Media of older scripts, once every panel has its current file.
      if (reports.every((r) => r.hash))
        pruneDemoMedia(
          this.d.cacheDir,
          reports.map((r) => r.hash!),
        );
    }
    return reports;
  }

  private async prepareOne(
    script: DemoPanelScript,
    progress: (step: DemoStep, percent: number | null, estimated?: boolean) => void,
  ): Promise<Omit<PanelReport, 'seconds'>> {
    const { catalogue, recording, transcripts } = this.d;
    const event = await catalogue.events.getBySlug(script.slug);
    // Organizer records are never touched, even one holding a demo address.
    if (!event || event.origin !== 'demo') return { slug: script.slug, outcome: 'skipped', reason: 'no demo event' };
    if (event.status !== 'ended') return { slug: script.slug, outcome: 'skipped', reason: 'the event has not ended' };

    const cards = await cardsFor(catalogue, event);
    const footer = event.seriesId ? ((await catalogue.series.get(event.seriesId))?.title ?? '') : '';
    const mediaInput = { script, speakers: cards, eventTitle: event.title, footer };
    const hash = panelHash(mediaInput);

    const state = await readState(this.d.redis, event.id);
    let rec = await recording.store.forEvent(event.id);
    const transcript = await transcripts.get(event.id);
    if (
      state?.hash === hash &&
      rec?.status === 'ready' &&
      rec.id === state.recordingId &&
      rec.startedAt === state.startedAt &&
      transcript &&
      transcript.cues.length > 0
    ) {
      return { slug: script.slug, outcome: 'unchanged', hash, durationSeconds: rec.durationSeconds ?? 0 };
    }

    // 1. The media file.
    const media = await ensurePanelMedia({
      ...mediaInput,
      cacheDir: this.d.cacheDir,
      signal: this.abort.signal,
      onProgress: (f) => progress('making the recording', f * 100),
    });
    this.abort.signal.throwIfAborted();

    // 2. Processing, as for a live recording. The transcript that follows is watched from here on.
    const pipeline = recording.processor.afterProcessing !== null;
    const watch = this.watchTranscript(event.id);
    let processedNow = false;
    try {
      if (rec && (rec.status === 'queued' || rec.status === 'processing')) {
        // Left over from a stop during processing: it resumed at start.
        processedNow = true;
        await this.withProcessingProgress(event.id, progress, recording.processor.waitFor(rec.id));
        rec = await recording.store.forEvent(event.id);
      }
      if (!(rec?.status === 'ready' && rec.inputFile === media.file)) {
        processedNow = true;
        progress('processing the recording', 0);
        await this.withProcessingProgress(event.id, progress, recording.ingestFile(event.id, media.file));
        rec = await recording.store.forEvent(event.id);
      }
      if (!rec || rec.status !== 'ready' || !rec.outputs) {
        throw new Error(`the recording is ${rec?.status ?? 'missing'}: ${rec?.error ?? 'no error given'}`);
      }
      this.abort.signal.throwIfAborted();

      // 3. Questions and polls, timed from the recording's start (ingesting set a new one).
      progress('adding questions and polls', null);
      const questionIds = await importMoments(this.d.live, event, script, media.timeline, rec.startedAt);

      // 4. The transcript: the pipeline's, or made here when there is none or it is older than the video.
      let current = await transcripts.get(event.id);
      const stale = !current || current.cues.length === 0 || Date.parse(current.updatedAt) < Date.parse(rec.updatedAt);
      const fromPipeline =
        stale && pipeline && processedNow
          ? await this.awaitPipelineTranscript(event.id, rec.id, watch, media.timeline.durationSeconds, progress)
          : false;
      let transcribedBy: PanelReport['transcribedBy'];
      if (fromPipeline) {
        transcribedBy = 'pipeline';
        current = await transcripts.get(event.id);
      } else if (stale) {
        transcribedBy = 'job';
        progress('transcribing', 0);
        await transcripts.transcribeRecording(event.id, rec.outputs.audio, {
          signal: this.abort.signal,
          onProgress: (f) => progress('transcribing', f * 100),
        });
        current = await transcripts.get(event.id);
      }
      await this.d.search.indexQuestions(
        event.id,
        script.questions.map((q, i) => ({
          id: questionIds[i]!,
          text: q.text,
          at: Math.round(media.timeline.turns[q.asked]!.start * 10) / 10,
        })),
      );
      await writeState(this.d.redis, event.id, { hash, recordingId: rec.id, startedAt: rec.startedAt });
      progress('ready', 100);
      const wer = current
        ? wordErrorRate(spokenText(script), current.cues.map((c) => c.text).join(' ')).wer
        : undefined;
      return {
        slug: script.slug,
        outcome: 'ready',
        hash,
        durationSeconds: rec.durationSeconds ?? 0,
        mediaCached: media.cached,
        ...(wer === undefined ? {} : { wer }),
        ...(transcribedBy ? { transcribedBy } : {}),
      };
    } finally {
      watch.cancel();
    }
  }

  /** Reports the recording job's percent while `work` runs. */
  private async withProcessingProgress<T>(
    eventId: string,
    progress: (step: DemoStep, percent: number | null) => void,
    work: Promise<T>,
  ): Promise<T> {
    const timer = setInterval(() => {
      void this.d.recording.store
        .forEvent(eventId)
        .then((r) => {
          if (r && (r.status === 'queued' || r.status === 'processing'))
            progress('processing the recording', r.progress);
        })
        .catch(() => {});
    }, 500);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** Resolves on the next change of the event's transcript (after `watchTranscript` was called). */
  private watchTranscript(eventId: string): { changed: Promise<void>; cancel(): void } {
    let resolve!: () => void;
    const changed = new Promise<void>((r) => (resolve = r));
    const off = this.d.transcripts.onChange((id) => {
      if (id === eventId) resolve();
    });
    return { changed, cancel: off };
  }

  /**
   * Waits for the archive pipeline's transcription, which runs inside the recording's job. It
   * reports no progress, so the percent shown is an estimate from the audio's length and the speed
   * measured on the panels before. Resolves false when the job ended without a new transcript
   * (the pipeline failed to transcribe: the caller does it).
   */
  private async awaitPipelineTranscript(
    eventId: string,
    recordingId: string,
    watch: { changed: Promise<void> },
    audioSeconds: number,
    progress: (step: DemoStep, percent: number | null, estimated?: boolean) => void,
  ): Promise<boolean> {
    const started = performance.now();
    const expectedMs = (audioSeconds / this.rtf) * 1000;
    const deadline = Date.now() + (this.d.transcriptTimeoutMs ?? 600_000);
    let done = false;
    void watch.changed.then(() => (done = true));
    progress('transcribing', 0, true);
    while (!done) {
      this.abort.signal.throwIfAborted();
      if (Date.now() > deadline) throw new Error('the archive pipeline made no transcript in time');
      // The pipeline's own promise says when it failed; without it, the job leaving the queue does.
      const pending = this.d.pipeline?.transcription(eventId) ?? null;
      const jobs = pending ? [] : await this.d.recording.store.jobIds();
      let failed = false;
      if (pending) void pending.then((ok) => (failed = !ok));
      await Promise.race([watch.changed, new Promise((r) => setTimeout(r, 500))]);
      if (done) break;
      if (pending ? failed : !jobs.includes(recordingId)) return false;
      progress('transcribing', Math.min(95, ((performance.now() - started) / expectedMs) * 100), true);
    }
    const wall = (performance.now() - started) / 1000;
    if (wall > 1) this.rtf = audioSeconds / wall;
    return true;
  }
}
