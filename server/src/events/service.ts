/** Builds the catalogue's public views (summaries, details, pages) from stored records. */
import {
  LIMITS,
  type EventDetail,
  type EventListing,
  type EventSummary,
  type Page,
  type SeriesDetail,
  type SpeakerDetail,
  type SpeakerSummary,
} from '@colloquy/shared';
import { inputOf } from './collection.ts';
import { markdownToText } from './markdown.ts';
import type { CatalogueStore, EventRecord, SeriesRecord, SpeakerRecord } from './store.ts';

/** Which listing an event belongs to at `now`: status first, then whether it is over. */
export function listingOf(e: Pick<EventRecord, 'status' | 'endsAt'>, now: Date): EventListing {
  if (e.status === 'live') return 'live';
  if (e.status === 'ended' || Date.parse(e.endsAt) <= now.getTime()) return 'past';
  return 'upcoming';
}

function speakerSummary(s: SpeakerRecord): SpeakerSummary {
  return {
    slug: s.slug,
    name: s.name,
    title: s.title,
    organization: s.organization,
    country: s.country,
    photoUrl: s.photoUrl,
  };
}

export class CatalogueService {
  private readonly store: CatalogueStore;
  private readonly now: () => Date;

  constructor(store: CatalogueStore, now: () => Date = () => new Date()) {
    this.store = store;
    this.now = now;
  }

  private async summarize(events: EventRecord[]): Promise<EventSummary[]> {
    const seriesIds = [...new Set(events.map((e) => e.seriesId).filter((id): id is string => !!id))];
    const speakerIds = [...new Set(events.flatMap((e) => e.speakerIds))];
    const [series, speakers] = await Promise.all([
      this.store.series.getMany(seriesIds),
      this.store.speakers.getMany(speakerIds),
    ]);
    const seriesById = new Map(series.map((s) => [s.id, s]));
    const speakerById = new Map(speakers.map((s) => [s.id, s]));
    return events.map((e) => {
      const s = e.seriesId ? seriesById.get(e.seriesId) : undefined;
      return {
        id: e.id,
        slug: e.slug,
        title: e.title,
        summary: e.summary ?? markdownToText(e.description),
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        timeZone: e.timeZone,
        status: e.status,
        location: e.location,
        series: s ? { slug: s.slug, title: s.title } : null,
        speakers: e.speakerIds.flatMap((id) => {
          const sp = speakerById.get(id);
          return sp ? [speakerSummary(sp)] : [];
        }),
      };
    });
  }

  /** One page of a listing: upcoming and live soonest first, past most recent first. */
  async listEvents(listing: EventListing, page: number): Promise<Page<EventSummary>> {
    const now = this.now();
    const matching = (await this.store.events.all()).filter((e) => listingOf(e, now) === listing);
    if (listing === 'past') matching.reverse();
    const pageSize = LIMITS.eventsPageSize;
    const total = matching.length;
    const slice = matching.slice((page - 1) * pageSize, page * pageSize);
    return {
      items: await this.summarize(slice),
      page,
      pageSize,
      total,
      totalPages: Math.max(1, Math.ceil(total / pageSize)),
    };
  }

  async getEvent(slug: string): Promise<EventDetail | null> {
    const e = await this.store.events.getBySlug(slug);
    if (!e) return null;
    const [summary] = await this.summarize([e]);
    const speakers = await this.store.speakers.getMany(e.speakerIds);
    return {
      ...summary!,
      description: e.description,
      descriptionHtml: e.descriptionHtml,
      speakers: speakers.map((s) => ({ ...speakerSummary(s), bio: s.bio })),
    };
  }

  /** The raw record, for features that need ids (calendar, realtime rooms). */
  getEventRecord(slug: string): Promise<EventRecord | null> {
    return this.store.events.getBySlug(slug);
  }

  async listSeries(): Promise<(Omit<SeriesRecord, 'origin'> & { eventCount: number })[]> {
    const [series, events] = await Promise.all([this.store.series.all(), this.store.events.all()]);
    return series.map(({ origin: _origin, ...s }) => ({
      ...s,
      eventCount: events.filter((e) => e.seriesId === s.id).length,
    }));
  }

  async getSeries(slug: string): Promise<SeriesDetail | null> {
    const s = await this.store.series.getBySlug(slug);
    if (!s) return null;
    const events = (await this.store.events.all()).filter((e) => e.seriesId === s.id);
    return { ...inputOf(s), id: s.id, events: await this.summarize(events) };
  }

  async getSpeaker(slug: string): Promise<SpeakerDetail | null> {
    const s = await this.store.speakers.getBySlug(slug);
    if (!s) return null;
    const events = (await this.store.events.all()).filter((e) => e.speakerIds.includes(s.id)).reverse();
    return { ...inputOf(s), id: s.id, events: await this.summarize(events) };
  }
}
