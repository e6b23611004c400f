import type { EventArchive, EventDetail, MyRole } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { listingOf } from '#lib/events.ts';
import { callApi } from '#lib/forms/api.ts';
import type { PageServerLoad } from './$types';

const VISITOR: MyRole = { role: 'visitor', displayName: null };

/** The viewer's role on the event; a visitor when it cannot be told (the page still renders). */
async function roleOf(fetch: typeof globalThis.fetch, slug: string): Promise<MyRole> {
  try {
    const res = await fetch(`/api/events/${encodeURIComponent(slug)}/role`);
    return res.ok ? ((await res.json()) as MyRole) : VISITOR;
  } catch {
    return VISITOR;
  }
}

export const load: PageServerLoad = async ({ fetch, params }) => {
  const [event, me] = await Promise.all([
    apiGet<EventDetail>(fetch, `/api/events/${encodeURIComponent(params.slug)}`, 'We could not find that event.'),
    roleOf(fetch, params.slug),
  ]);
  // The past-event page's archive, once the event is over; null while there is none to show (a 404
  // before the event has ended, or the API unreachable: the page still renders without it).
  let archive: EventArchive | null = null;
  if (listingOf(event, Date.now()) === 'past') {
    const r = await callApi<EventArchive>(fetch, 'GET', `/api/events/${encodeURIComponent(params.slug)}/archive`);
    archive = r.ok ? r.data : null;
  }
  return { event, me, archive };
};
