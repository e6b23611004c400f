import type { EventDetail, MyRole } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
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
  return { event, me };
};
