import { error } from '@sveltejs/kit';
import { EventListing, type EventSummary, type Page } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const status = EventListing.safeParse(url.searchParams.get('status') ?? 'upcoming');
  const rawPage = url.searchParams.get('page') ?? '1';
  if (!status.success || !/^[1-9][0-9]{0,3}$/.test(rawPage)) error(404, 'There is no such listing of events.');
  const page = Number(rawPage);
  const result = await apiGet<Page<EventSummary>>(fetch, `/api/events?status=${status.data}&page=${page}`);
  if (page > result.totalPages) error(404, `There is no page ${page} of this listing.`);
  return { listing: status.data, result };
};
