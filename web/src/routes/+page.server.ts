import type { EventSummary, Page } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import type { PageServerLoad } from './$types';

/** How many past events the home page shows before linking to the full listing. */
const PAST_ON_HOME = 6;

export const load: PageServerLoad = async ({ fetch }) => {
  const [live, upcoming, past] = await Promise.all([
    apiGet<Page<EventSummary>>(fetch, '/api/events?status=live'),
    apiGet<Page<EventSummary>>(fetch, '/api/events?status=upcoming'),
    apiGet<Page<EventSummary>>(fetch, '/api/events?status=past'),
  ]);
  return {
    live: live.items,
    upcoming: upcoming.items,
    moreUpcoming: upcoming.totalPages > 1,
    past: past.items.slice(0, PAST_ON_HOME),
    pastTotal: past.total,
  };
};
