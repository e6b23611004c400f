import { adminGet } from '#lib/admin/api.ts';
import type { AdminEvent, AdminSeries, Items } from '#lib/admin/types.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const [series, events] = await Promise.all([
    adminGet<Items<AdminSeries>>(fetch, url, '/api/admin/series'),
    adminGet<Items<AdminEvent>>(fetch, url, '/api/admin/events'),
  ]);
  const counts = new Map<string, number>();
  for (const e of events.items) if (e.seriesId) counts.set(e.seriesId, (counts.get(e.seriesId) ?? 0) + 1);
  return {
    series: series.items.toSorted((a, b) => a.title.localeCompare(b.title)),
    counts,
    deleted: url.searchParams.has('deleted'),
  };
};
