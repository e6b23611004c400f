import { adminGet } from '#lib/admin/api.ts';
import { deleteThen } from '#lib/admin/record-actions.ts';
import type { AdminEvent } from '#lib/admin/types.ts';
import type { Actions, PageServerLoad } from './$types';

const path = (id: string) => `/api/admin/events/${encodeURIComponent(id)}`;

export const load: PageServerLoad = async ({ fetch, url, params }) => ({
  event: await adminGet<AdminEvent>(
    fetch,
    url,
    path(params.id),
    'We could not find that event. It may already be deleted.',
  ),
});

export const actions: Actions = {
  default: (event) => deleteThen(event, path(event.params.id ?? ''), '/admin?deleted=event'),
};
