import { fail } from '@sveltejs/kit';
import { AccessMode, type AccessSettings, type Registration } from '@colloquy/shared';
import {
  callApi,
  fieldErrors,
  formMessage,
  loginRedirect,
  textFields,
  type FormProblem,
} from '../../../../invite/_forms/api.ts';
import { loadAdminEvent, loadItems } from '../invites/admin-event.ts';
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
    if (!mode.success) {
      return fail(400, { values: kept, errors: { mode: WORDING.mode! }, message: '' } satisfies FormProblem);
    }
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
    if (res.status === 401 || res.status === 403) loginRedirect(url);
    const errors = fieldErrors(res.error, WORDING);
    if (errors.passcode && mode.data === 'passcode' && !passcode) errors.passcode = 'Enter a passcode for this event.';
    const problem: FormProblem = {
      values: kept,
      errors,
      message: Object.keys(errors).length > 0 ? '' : formMessage(res.error),
    };
    return fail(res.status, problem);
  },
};
