import { adminGet } from '#lib/admin/api.ts';
import type { AdminSpeaker, Items } from '#lib/admin/types.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const speakers = await adminGet<Items<AdminSpeaker>>(fetch, url, '/api/admin/speakers');
  return {
    speakers: speakers.items.toSorted((a, b) => a.name.localeCompare(b.name)),
    deleted: url.searchParams.has('deleted'),
  };
};
