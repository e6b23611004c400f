/** The catalogue's Redis access: events, series and speakers. Other features call this, never the keys. */
import type { EventInput, SeriesInput, SpeakerInput } from '@colloquy/shared';
import type { Redis } from '../store/redis.ts';
import { Collection, DEMO_SET, inputOf, type Stored } from './collection.ts';
import { markdownToText, renderMarkdown } from './markdown.ts';

/** Derived at write time: the sanitized HTML and the plain-text summary listings show. */
type EventDerived = { descriptionHtml: string; summary: string };
export type EventRecord = Stored<EventInput & EventDerived>;
export type SeriesRecord = Stored<SeriesInput & { descriptionHtml: string }>;
export type SpeakerRecord = Stored<SpeakerInput>;

export class CatalogueStore {
  readonly events: Collection<EventInput & EventDerived>;
  readonly series: Collection<SeriesInput & { descriptionHtml: string }>;
  readonly speakers: Collection<SpeakerInput>;
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
    this.events = new Collection(redis, 'event', (e) => Date.parse(e.startsAt));
    this.series = new Collection(redis, 'series', () => Date.now());
    this.speakers = new Collection(redis, 'speaker', () => Date.now());
  }

  putEvent(input: EventInput, origin: 'demo' | 'organizer', existing?: EventRecord) {
    const derived = { descriptionHtml: renderMarkdown(input.description), summary: markdownToText(input.description) };
    return this.events.put({ ...input, ...derived }, origin, existing);
  }

  putSeries(input: SeriesInput, origin: 'demo' | 'organizer', existing?: SeriesRecord) {
    return this.series.put({ ...input, descriptionHtml: renderMarkdown(input.description) }, origin, existing);
  }

  putSpeaker(input: SpeakerInput, origin: 'demo' | 'organizer', existing?: SpeakerRecord) {
    return this.speakers.put(input, origin, existing);
  }

  /** Sets (or with null, removes) a speaker's photo: only uploads set it. */
  setSpeakerPhoto(speaker: SpeakerRecord, photoUrl: string | null) {
    return this.speakers.put({ ...inputOf(speaker), photoUrl }, speaker.origin, speaker);
  }

  /** Deletes a series; its events stay, outside any series. */
  async removeSeries(series: SeriesRecord): Promise<void> {
    for (const e of await this.events.all()) {
      if (e.seriesId === series.id) await this.events.put({ ...e, seriesId: null }, e.origin, e);
    }
    await this.series.remove(series);
  }

  /** Deletes a speaker and takes them off the events they were on. */
  async removeSpeaker(speaker: SpeakerRecord): Promise<void> {
    for (const e of await this.events.all()) {
      if (e.speakerIds.includes(speaker.id)) {
        await this.events.put({ ...e, speakerIds: e.speakerIds.filter((id) => id !== speaker.id) }, e.origin, e);
      }
    }
    await this.speakers.remove(speaker);
  }

  /** True when the catalogue holds no record at all (the demo loads only then, on start). */
  async isEmpty(): Promise<boolean> {
    const counts = await Promise.all([this.events.count(), this.series.count(), this.speakers.count()]);
    return counts.every((n) => n === 0);
  }

  /** Removes every demo record; organizer-made records are not in the demo set and stay. */
  async removeDemo(): Promise<number> {
    const members = await this.redis.sMembers(DEMO_SET);
    const collections = [this.events, this.series, this.speakers] as unknown as Collection<{ slug: string }>[];
    let removed = 0;
    for (const member of members) {
      const [kind, id] = member.split(':');
      const collection = collections.find((c) => c.kind === kind);
      if (!collection || !id) continue;
      const record = await collection.get(id);
      if (record && record.origin === 'demo') {
        await collection.remove(record);
        removed++;
      } else {
        await this.redis.sRem(DEMO_SET, member);
      }
    }
    return removed;
  }
}
