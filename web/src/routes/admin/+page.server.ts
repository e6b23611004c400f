import { adminGet } from '#lib/admin/api.ts';
import type { AdminEvent, AdminSeries, AdminSpeaker, Items } from '#lib/admin/types.ts';
import type { PageServerLoad } from './$types';

const DELETED = ['event', 'series', 'speaker'] as const;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const [events, series, speakers] = await Promise.all([
    adminGet<Items<AdminEvent>>(fetch, url, '/api/admin/events'),
    adminGet<Items<AdminSeries>>(fetch, url, '/api/admin/series'),
    adminGet<Items<AdminSpeaker>>(fetch, url, '/api/admin/speakers'),
  ]);
  const deleted = DELETED.find((d) => d === url.searchParams.get('deleted')) ?? null;
  return {
    events: events.items,
    series: series.items,
    speakers: speakers.items,
    deleted,
  };
};
