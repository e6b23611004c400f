import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueStore } from '../../server/src/events/store.ts';
import { loadDemo } from '../../server/src/demo/load.ts';
import { DEMO_EVENTS, DEMO_SERIES } from '../../server/src/demo/events.ts';
import { DEMO_SPEAKERS } from '../../server/src/demo/speakers.ts';
import { freshRedis } from '../support/app.ts';
import type { Redis } from '../../server/src/store/redis.ts';

let redis: Redis;
let store: CatalogueStore;
const total = DEMO_EVENTS.length + DEMO_SERIES.length + DEMO_SPEAKERS.length;

beforeAll(async () => {
  redis = await freshRedis();
  store = new CatalogueStore(redis);
});
afterAll(() => redis.quit());

describe('demo content', () => {
  it('loads into an empty catalogue', async () => {
    expect(await store.isEmpty()).toBe(true);
    const report = await loadDemo(store);
    expect(report).toEqual({ removed: 0, created: total, skipped: [] });
    expect(await store.isEmpty()).toBe(false);
  });

  it('reloads without duplicating anything', async () => {
    const report = await loadDemo(store);
    expect(report.removed).toBe(total);
    expect(report.created).toBe(total);
    expect(await store.events.all()).toHaveLength(DEMO_EVENTS.length);
    expect(await store.speakers.all()).toHaveLength(DEMO_SPEAKERS.length);
  });

  it('never touches organizer-made records, even one that holds a demo slug', async () => {
    const mine = await store.putSeries({ slug: 'my-own-series', title: 'Mine', description: 'kept' }, 'organizer');
    const squatter = await store.events.getBySlug('all-in-paris-2019');
    await store.events.remove(squatter!);
    const held = await store.putEvent(
      {
        slug: 'all-in-paris-2019',
        title: 'Organizer edition',
        description: '',
        startsAt: '2031-01-01T10:00:00Z',
        endsAt: '2031-01-01T11:00:00Z',
        timeZone: 'Europe/Paris',
        status: 'scheduled',
        seriesId: mine.id,
        speakerIds: [],
        location: 'Paris',
      },
      'organizer',
    );
    const report = await loadDemo(store);
    expect(report.skipped).toEqual(['event all-in-paris-2019']);
    expect(await store.series.get(mine.id)).toMatchObject({ title: 'Mine', origin: 'organizer' });
    expect(await store.events.getBySlug('all-in-paris-2019')).toMatchObject({
      id: held.id,
      title: 'Organizer edition',
    });
  });

  it('refuses a second record with a taken slug', async () => {
    await expect(
      store.putSeries({ slug: 'my-own-series', title: 'Again', description: '' }, 'organizer'),
    ).rejects.toThrow(/already used/);
  });
});
