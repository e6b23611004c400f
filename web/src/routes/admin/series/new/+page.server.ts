import { saveSeries } from '#lib/admin/record-actions.ts';
import { emptySeries } from '#lib/admin/records.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ initial: emptySeries() });

export const actions: Actions = {
  default: (event) => saveSeries(event, null),
};
