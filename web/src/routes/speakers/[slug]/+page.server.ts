import type { SpeakerDetail } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { splitEvents } from '#lib/events.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  const speaker = await apiGet<SpeakerDetail>(
    fetch,
    `/api/speakers/${encodeURIComponent(params.slug)}`,
    'We could not find that speaker.',
  );
  const { events, ...profile } = speaker;
  return { speaker: profile, ...splitEvents(events, Date.now()) };
};
