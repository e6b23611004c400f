import { adminGet } from '#lib/admin/api.ts';
import { deleteRecord, findRecord } from '#lib/admin/record-actions.ts';
import type { AdminEvent, Items } from '#lib/admin/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params }) => {
  const [series, events] = await Promise.all([
    findRecord(fetch, url, 'series', params.id),
    adminGet<Items<AdminEvent>>(fetch, url, '/api/admin/events'),
  ]);
  return { series, eventCount: events.items.filter((e) => e.seriesId === series.id).length };
};

export const actions: Actions = {
  default: (event) => deleteRecord(event, 'series', event.params.id ?? ''),
};
