import { redirect } from '@sveltejs/kit';
import { adminGet, callApi, redirectIfSignedOut } from '#lib/admin/api.ts';
import { failWith } from '#lib/admin/forms.ts';
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
  default: async ({ fetch, url, params }) => {
    const result = await callApi(fetch, 'DELETE', path(params.id));
    if (result.ok || result.status === 404) redirect(303, '/admin?deleted=event');
    redirectIfSignedOut(result, url);
    return failWith(result.status, { values: {}, errors: {}, message: result.error.message });
  },
};
