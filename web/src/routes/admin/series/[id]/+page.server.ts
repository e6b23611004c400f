import { findRecord, saveSeries } from '#lib/admin/record-actions.ts';
import { seriesValues } from '#lib/admin/records.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params }) => {
  const series = await findRecord(fetch, url, 'series', params.id);
  return {
    series,
    initial: seriesValues(series),
    notice: url.searchParams.has('created') ? 'created' : url.searchParams.has('saved') ? 'saved' : null,
  };
};

export const actions: Actions = {
  default: (event) => saveSeries(event, event.params.id ?? ''),
};
