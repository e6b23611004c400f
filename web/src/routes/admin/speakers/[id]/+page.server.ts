import { photoLimitText } from '#lib/admin/photo-limit.ts';
import { findRecord, saveSpeaker, uploadPhoto } from '#lib/admin/record-actions.ts';
import { speakerValues } from '#lib/admin/records.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params }) => {
  const speaker = await findRecord(fetch, url, 'speakers', params.id);
  const notice = (['created', 'saved', 'photo'] as const).find((n) => url.searchParams.has(n)) ?? null;
  return { speaker, initial: speakerValues(speaker), notice, photoLimit: photoLimitText() };
};

export const actions: Actions = {
  details: async (event) =>
    saveSpeaker(event, await findRecord(event.fetch, event.url, 'speakers', event.params.id ?? '')),
  photo: (event) => uploadPhoto(event, event.params.id ?? ''),
};
