/**
 * Loads the demo catalogue. Only records marked as demo are ever replaced or removed; when an
 * organizer-made record already holds a demo slug, that demo record is skipped.
 */
import { Temporal } from 'temporal-polyfill';
import { EventInput, type SeriesInput, type SpeakerInput } from '@colloquy/shared';
import { SlugTakenError } from '../events/collection.ts';
import type { CatalogueStore } from '../events/store.ts';
import { DEMO_EVENTS, DEMO_SERIES, type DemoEvent } from './events.ts';
import { DEMO_SPEAKERS } from './speakers.ts';

/** The UTC instant of a wall-clock time in a zone; relative dates count days from `now` in that zone. */
export function demoInstants(e: DemoEvent, now: Date): { startsAt: string; endsAt: string } {
  const [hour, minute] = e.time.split(':').map(Number) as [number, number];
  const day =
    typeof e.date === 'string'
      ? Temporal.PlainDate.from(e.date)
      : Temporal.Instant.fromEpochMilliseconds(now.getTime())
          .toZonedDateTimeISO(e.timeZone)
          .toPlainDate()
          .add({ days: e.date.inDays });
  const start = day.toZonedDateTime({ timeZone: e.timeZone, plainTime: Temporal.PlainTime.from({ hour, minute }) });
  return {
    startsAt: start.toInstant().toString(),
    endsAt: start.add({ minutes: e.minutes }).toInstant().toString(),
  };
}

export interface DemoReport {
  removed: number;
  created: number;
  skipped: string[];
}

async function putOrSkip<T>(skipped: string[], label: string, put: () => Promise<T>): Promise<T | null> {
  try {
    return await put();
  } catch (err) {
    if (err instanceof SlugTakenError) {
      skipped.push(label);
      return null;
    }
    throw err;
  }
}

/** Replaces the demo records with fresh ones (upcoming dates move with `now`). */
export async function loadDemo(store: CatalogueStore, now = new Date()): Promise<DemoReport> {
  const removed = await store.removeDemo();
  const skipped: string[] = [];
  let created = 0;
  const seriesIds = new Map<string, string>();
  const speakerIds = new Map<string, string>();
  for (const s of DEMO_SERIES as SeriesInput[]) {
    const rec = await putOrSkip(skipped, `series ${s.slug}`, () => store.putSeries(s, 'demo'));
    if (!rec) continue;
    created++;
    seriesIds.set(s.slug, rec.id);
  }
  for (const s of DEMO_SPEAKERS as SpeakerInput[]) {
    const rec = await putOrSkip(skipped, `speaker ${s.slug}`, () => store.putSpeaker(s, 'demo'));
    if (!rec) continue;
    created++;
    speakerIds.set(s.slug, rec.id);
  }
  for (const e of DEMO_EVENTS) {
    const input = EventInput.parse({
      slug: e.slug,
      title: e.title,
      description: e.description,
      ...demoInstants(e, now),
      timeZone: e.timeZone,
      status: e.status,
      seriesId: e.series ? (seriesIds.get(e.series) ?? null) : null,
      speakerIds: e.speakers.flatMap((slug) => speakerIds.get(slug) ?? []),
      location: e.location,
    });
    const rec = await putOrSkip(skipped, `event ${e.slug}`, () => store.putEvent(input, 'demo'));
    if (rec) created++;
  }
  return { removed, created, skipped };
}
