import { error, redirect } from '@sveltejs/kit';
import type { InvitePreview, InviteRole } from '@colloquy/shared';
import { resolve } from '$app/paths';
import { callApi } from '#lib/forms/api.ts';
import { failWith, publicErrors, textFields } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const NAME_WORDING = { displayName: 'Enter your name as others should see it (up to 120 characters).' };

/** A link that cannot be used: its status (404 invalid, 410 revoked or expired) and the API's words. */
function inviteUnusable(status: number, code: string, message: string): never {
  error(status === 410 ? 410 : 404, message, { code });
}

export const load: PageServerLoad = async ({ fetch, params }) => {
  const res = await callApi<InvitePreview>(fetch, 'GET', `/api/invites/${encodeURIComponent(params.token)}`);
  if (!res.ok) {
    if (res.status === 404 || res.status === 410) inviteUnusable(res.status, res.error.code, res.error.message);
    error(503, 'We could not check this invite right now. Please try again in a moment.');
  }
  return { invite: res.data };
};

export const actions: Actions = {
  default: async ({ fetch, params, request }) => {
    const values = textFields(await request.formData(), ['displayName']);
    const res = await callApi<{ eventSlug: string; role: InviteRole | 'organizer' }>(
      fetch,
      'POST',
      '/api/invites/redeem',
      { token: params.token, displayName: values.displayName },
    );
    if (res.ok) redirect(303, resolve('/events/[slug]', { slug: res.data.eventSlug }));
    // Revoked or expired since the page was opened: the page's load shows why, with its status.
    if (res.status === 404 || res.status === 410) inviteUnusable(res.status, res.error.code, res.error.message);
    return failWith(res.status, { values, ...publicErrors(res.error, NAME_WORDING) });
  },
};
