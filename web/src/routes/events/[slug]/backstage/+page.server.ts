import { redirect } from '@sveltejs/kit';
import type { EventDetail, MyRole } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { callApi } from '#lib/forms/api.ts';
import type { PageServerLoad } from './$types';

/** Who may come backstage: the panel (speakers, moderators) and organizers. */
const BACKSTAGE: ReadonlySet<MyRole['role']> = new Set(['speaker', 'moderator', 'organizer']);

export const load: PageServerLoad = async ({ fetch, params }) => {
  const slug = encodeURIComponent(params.slug);
  const [event, me] = await Promise.all([
    apiGet<EventDetail>(fetch, `/api/events/${slug}`, 'We could not find that event.'),
    callApi<MyRole>(fetch, 'GET', `/api/events/${slug}/role`),
  ]);
  // Anyone else (the audience, visitors, or when the role cannot be told) goes to the event page.
  if (!me.ok || !BACKSTAGE.has(me.data.role)) redirect(303, `/events/${slug}`);
  return { event, me: me.data };
};
