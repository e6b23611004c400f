import type { RecordingAdminView } from '@colloquy/shared';
import { adminGet, redirectIfSignedOut } from '#lib/admin/api.ts';
import { loadAdminEvent } from '#lib/admin/admin-event.ts';
import { callApi } from '#lib/forms/api.ts';
import { failWith, field } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const path = (id: string) => `/api/admin/events/${encodeURIComponent(id)}/recording`;

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const event = await loadAdminEvent(fetch, url, params.id);
  const view = await adminGet<RecordingAdminView>(fetch, url, path(event.id), 'We could not find that event.');
  return { event, view };
};

export const actions: Actions = {
  settings: async ({ fetch, params, request, url }) => {
    const enabled = field(await request.formData(), 'enabled') === 'on';
    const res = await callApi<RecordingAdminView>(fetch, 'PUT', `${path(params.id)}/settings`, { enabled });
    if (res.ok) return { form: 'settings', saved: res.data.enabled };
    redirectIfSignedOut(res, url);
    return failWith(res.status, { form: 'settings', values: {}, errors: {}, message: res.error.message });
  },
  process: async ({ fetch, params, url }) => {
    const res = await callApi<RecordingAdminView>(fetch, 'POST', `${path(params.id)}/process`);
    if (res.ok) return { form: 'process', queued: true };
    redirectIfSignedOut(res, url);
    return failWith(res.status, { form: 'process', values: {}, errors: {}, message: res.error.message });
  },
};
