/**
 * Search across past (ended) events. The index (search-index.ts) is derived from Redis: the
 * catalogue (titles, descriptions, series, speakers), transcripts, and the answered questions the
 * archive step hands to `indexQuestions` (kept under this module's own key, so a rebuild finds
 * them without reading Q&A's keys). It is rebuilt at start in the background — the server listens
 * meanwhile and `status()` says how far it is — and kept current by `refreshEvent`, which the
 * transcripts feature triggers on every change and the archive step calls when an event ends.
 *
 *   rebuild()                          full rebuild into a fresh index, swapped in when done
 *   ready()                            resolves when the first build has finished
 *   refreshEvent(eventId)              re-reads one event (removes it unless it has ended)
 *   indexQuestions(eventId, questions) stores and indexes an event's answered questions
 *   search(query)                      SearchResponse (throws AppError 'unavailable' before the first build)
 *   status()                           SearchIndexStatus
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { z } from 'zod';
import { SEARCH_LIMITS, type SearchIndexStatus, type SearchQuery, type SearchResponse } from '@colloquy/shared';
import type { CatalogueStore, EventRecord } from '../../events/store.ts';
import { markdownToText } from '../../events/markdown.ts';
import { AppError } from '../../http/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { PREFIX, type Redis } from '../../store/redis.ts';
import type { Transcripts } from '../../transcripts/transcripts.ts';
import { SearchIndex, type IndexedEvent, type IndexedPiece } from './search-index.ts';
import { searchTerms, withoutStopWords } from './query.ts';

/** An answered question as the archive step hands it over. */
export const IndexedQuestion = z.object({
  id: z.string().min(1).max(100),
  text: z.string().max(2_000),
  /** A written answer, if any. */
  answer: z.string().max(10_000).optional(),
  /** Seconds into the recording when it was answered (the "jump to answer" moment), or null. */
  at: z.number().min(0).nullable(),
});
export type IndexedQuestion = z.infer<typeof IndexedQuestion>;

const questionsKey = (eventId: string) => `${PREFIX}search-questions:${eventId}`;

/** Most hits counted for the total. */
const COUNT_CAP = 1_000;

export interface SearchDeps {
  redis: Redis;
  catalogue: CatalogueStore;
  transcripts: Transcripts;
  log?: Pick<Logger, 'info' | 'error'>;
}

export class SearchService {
  private readonly deps: SearchDeps;
  private index: SearchIndex | null = null;
  private state: SearchIndexStatus = { state: 'building', rows: 0, events: 0, builtAt: null, buildMs: null };
  private building: Promise<void> | null = null;
  /** Events changed while a rebuild runs: refreshed again once the new index is in place. */
  private dirty = new Set<string>();
  private firstBuild: { promise: Promise<void>; resolve: () => void };
  private closed = false;

  constructor(deps: SearchDeps) {
    this.deps = deps;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.firstBuild = { promise, resolve };
  }

  status(): SearchIndexStatus {
    return { ...this.state };
  }

  /** Resolves when the first build has finished (or failed). */
  ready(): Promise<void> {
    return this.firstBuild.promise;
  }

  /** Rebuilds the whole index from Redis into a fresh one and swaps it in. Concurrent calls share one run. */
  rebuild(): Promise<void> {
    this.building ??= this.build().finally(() => {
      this.building = null;
      this.firstBuild.resolve();
    });
    return this.building;
  }

  private async build(): Promise<void> {
    const started = performance.now();
    this.state = { ...this.state, state: 'building' };
    const next = new SearchIndex();
    try {
      const { catalogue } = this.deps;
      const [events, series, speakers] = await Promise.all([
        catalogue.events.all(),
        catalogue.series.all(),
        catalogue.speakers.all(),
      ]);
      const lookups = {
        series: new Map(series.map((s) => [s.id, s])),
        speakers: new Map(speakers.map((s) => [s.id, s])),
      };
      for (const event of events) {
        if (this.closed) return next.close();
        if (event.status !== 'ended') continue;
        const pieces = await this.piecesOf(event.id);
        next.transaction(() => {
          next.putEvent(this.indexedEvent(event, lookups));
          next.addPieces(event.id, pieces);
        });
        await yieldToLoop();
      }
      const old = this.index;
      this.index = next;
      old?.close();
      const counts = next.counts();
      const buildMs = performance.now() - started;
      this.state = { state: 'ready', ...counts, builtAt: new Date().toISOString(), buildMs: Math.round(buildMs) };
      this.deps.log?.info({ ...counts, buildMs: Math.round(buildMs) }, 'search index built');
      const again = [...this.dirty];
      this.dirty.clear();
      for (const id of again) await this.refreshEvent(id);
    } catch (err) {
      next.close();
      this.state = { ...this.state, state: this.index ? 'ready' : 'failed', error: (err as Error).message };
      this.deps.log?.error({ err }, 'search index build failed');
    }
  }

  private indexedEvent(
    event: EventRecord,
    lookups: {
      series: Map<string, { slug: string; title: string }>;
      speakers: Map<string, { slug: string; name: string }>;
    },
  ): IndexedEvent {
    const s = event.seriesId ? lookups.series.get(event.seriesId) : undefined;
    return {
      id: event.id,
      slug: event.slug,
      title: event.title,
      description: markdownToText(event.description, 20_000),
      startsAt: event.startsAt,
      timeZone: event.timeZone,
      series: s ? { slug: s.slug, title: s.title } : null,
      speakers: event.speakerIds
        .map((id) => lookups.speakers.get(id))
        .filter((x) => x !== undefined)
        .map((x) => ({ slug: x.slug, name: x.name })),
    };
  }

  /** An event's transcript cues and answered questions, as index rows. */
  private async piecesOf(eventId: string): Promise<IndexedPiece[]> {
    const [transcript, questions] = await Promise.all([
      this.deps.transcripts.get(eventId),
      this.storedQuestions(eventId),
    ]);
    const pieces: IndexedPiece[] = (transcript?.cues ?? []).map((c) => ({
      kind: 'transcript',
      text: c.text,
      at: c.start,
    }));
    for (const q of questions) {
      pieces.push({ kind: 'question', text: q.answer ? `${q.text} ${q.answer}` : q.text, at: q.at });
    }
    return pieces;
  }

  private async storedQuestions(eventId: string): Promise<IndexedQuestion[]> {
    const raw = await this.deps.redis.get(questionsKey(eventId));
    if (!raw) return [];
    const parsed = z.array(IndexedQuestion).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  }

  /** Re-reads one event from Redis into the index: added or updated if it has ended, removed otherwise. */
  async refreshEvent(eventId: string): Promise<void> {
    if (this.building) this.dirty.add(eventId);
    const index = this.index;
    if (!index) return;
    const { catalogue } = this.deps;
    const event = await catalogue.events.get(eventId);
    if (!event || event.status !== 'ended') {
      index.removeEvent(eventId);
    } else {
      const [series, speakers, pieces] = await Promise.all([
        event.seriesId ? catalogue.series.get(event.seriesId) : null,
        catalogue.speakers.getMany(event.speakerIds),
        this.piecesOf(eventId),
      ]);
      const lookups = {
        series: new Map(series ? [[series.id, series]] : []),
        speakers: new Map(speakers.map((s) => [s.id, s])),
      };
      if (this.index !== index) return; // a rebuild swapped the index meanwhile; it is marked dirty
      index.transaction(() => {
        index.putEvent(this.indexedEvent(event, lookups));
        index.addPieces(eventId, pieces);
      });
    }
    if (this.state.state === 'ready') this.state = { ...this.state, ...index.counts() };
  }

  /**
   * Stores an event's answered questions (replacing any earlier list) and indexes them. The Q&A
   * feature or the archive step calls this; search never reads Q&A's own keys.
   */
  async indexQuestions(eventId: string, questions: readonly IndexedQuestion[]): Promise<void> {
    const list = z.array(IndexedQuestion).max(5_000).parse(questions);
    await this.deps.redis.set(questionsKey(eventId), JSON.stringify(list));
    await this.refreshEvent(eventId);
  }

  search(query: SearchQuery): SearchResponse {
    const index = this.index;
    if (!index) throw new AppError('unavailable', 'The search index is being built; try again in a moment');
    const { kept: terms, ignored } = withoutStopWords(searchTerms(query.q));
    const pageSize = SEARCH_LIMITS.pageSize;
    const base = {
      series: query.series,
      speaker: query.speaker,
      year: query.year,
      limit: pageSize,
      offset: (query.page - 1) * pageSize,
      countCap: COUNT_CAP,
    };
    let matched: SearchResponse['matched'] = 'none';
    let result = { hits: [] as SearchResponse['hits'], total: 0, totalCapped: false };
    if (terms.length > 0) {
      result = index.search({ ...base, terms, mode: 'all' });
      matched = 'all';
      if (result.total === 0 && terms.length > 1) {
        result = index.search({ ...base, terms, mode: 'any' });
        matched = 'any';
      }
      if (result.total === 0) matched = 'none';
    }
    return {
      query,
      ignored,
      matched,
      ...result,
      page: query.page,
      pageSize,
      facets: index.facets(),
      index: this.status(),
    };
  }

  close(): void {
    this.closed = true;
    this.index?.close();
    this.index = null;
  }
}
