import type { EventDetail } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => ({
  event: await apiGet<EventDetail>(
    fetch,
    `/api/events/${encodeURIComponent(params.slug)}`,
    'We could not find that event.',
  ),
});
