import type { EventSummary, Page } from '@colloquy/shared';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  const res = await fetch('/api/events?status=upcoming');
  return { upcoming: (await res.json()) as Page<EventSummary> };
};
