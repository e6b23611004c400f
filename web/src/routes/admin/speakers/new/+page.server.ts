import { saveSpeaker } from '#lib/admin/record-actions.ts';
import { emptySpeaker } from '#lib/admin/records.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ initial: emptySpeaker() });

export const actions: Actions = {
  default: (event) => saveSpeaker(event, null),
};
