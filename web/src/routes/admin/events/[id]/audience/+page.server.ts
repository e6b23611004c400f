import { AccessMode, type AccessSettings, type Registration } from '@colloquy/shared';
import { loadAdminEvent, loadItems } from '#lib/admin/admin-event.ts';
import { redirectIfSignedOut } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { failWith, publicErrors, textFields } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const WORDING: Record<string, string> = {
  mode: 'Choose how people join.',
  passcode: 'Use a passcode of 4 to 64 characters.',
};

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const event = await loadAdminEvent(fetch, url, params.id);
  const [access, registrations] = await Promise.all([
    callApi<AccessSettings>(fetch, 'GET', `/api/events/${encodeURIComponent(event.slug)}/access`),
    loadItems<Registration>(fetch, url, `/api/admin/events/${encodeURIComponent(event.id)}/registrations`),
  ]);
  return {
    event,
    access: access.ok ? access.data : null,
    // Newest first.
    registrations: registrations.toSorted((a, b) => b.registeredAt.localeCompare(a.registeredAt)),
  };
};

export const actions: Actions = {
  access: async ({ fetch, params, request, url }) => {
    const values = textFields(await request.formData(), ['mode', 'passcode']);
    const mode = AccessMode.safeParse(values.mode);
    // The passcode is never sent back into the page.
    const kept = { mode: values.mode ?? '' };
    if (!mode.success) return failWith(400, { values: kept, errors: { mode: WORDING.mode! }, message: '' });
    const passcode = mode.data === 'passcode' && values.passcode ? values.passcode : undefined;
    const res = await callApi<AccessSettings>(
      fetch,
      'PUT',
      `/api/admin/events/${encodeURIComponent(params.id)}/access`,
      {
        mode: mode.data,
        ...(passcode === undefined ? {} : { passcode }),
      },
    );
    if (res.ok) return { saved: res.data };
    redirectIfSignedOut(res, url);
    const { errors, message } = publicErrors(res.error, WORDING);
    if (errors.passcode && mode.data === 'passcode' && !passcode) errors.passcode = 'Enter a passcode for this event.';
    return failWith(res.status, { values: kept, errors, message });
  },
};
