import { InviteRole, type CreatedInvite, type Invite, type Speaker } from '@colloquy/shared';
import { loadAdminEvent, loadItems } from '#lib/admin/admin-event.ts';
import { redirectIfSignedOut } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { failWith, formMessage, publicErrors, textFields, type FieldErrors } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const WORDING: Record<string, string> = {
  role: 'Choose whether the link makes someone a speaker or a moderator.',
  speakerId: 'Choose a speaker from the list, or none.',
  label: 'Shorten the name or note to 120 characters or fewer.',
  expiresInHours: 'Choose how long the link works.',
};

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const event = await loadAdminEvent(fetch, url, params.id);
  const [invites, speakers] = await Promise.all([
    loadItems<Invite>(fetch, url, `/api/admin/events/${encodeURIComponent(event.id)}/invites`),
    loadItems<Speaker>(fetch, url, '/api/admin/speakers'),
  ]);
  return {
    event,
    // Newest first.
    invites: invites.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt)),
    speakers: speakers.map((s) => ({ id: s.id, name: s.name })).toSorted((a, b) => a.name.localeCompare(b.name)),
  };
};

export const actions: Actions = {
  create: async ({ fetch, params, request, url }) => {
    const values = textFields(await request.formData(), ['role', 'speakerId', 'label', 'expiresInHours']);
    const errors: FieldErrors = {};
    const role = InviteRole.safeParse(values.role);
    if (!role.success) errors.role = WORDING.role!;
    const hours = Number(values.expiresInHours);
    if (!Number.isInteger(hours) || hours < 1 || hours > 720) errors.expiresInHours = WORDING.expiresInHours!;
    if (Object.keys(errors).length > 0) return failWith(400, { form: 'create', values, errors, message: '' });

    const res = await callApi<CreatedInvite>(
      fetch,
      'POST',
      `/api/admin/events/${encodeURIComponent(params.id)}/invites`,
      { role: role.data, expiresInHours: hours, label: values.label, speakerId: values.speakerId || null },
    );
    if (res.ok) {
      const { id, url: link, role: createdRole, expiresAt } = res.data;
      return { created: { id, url: link, role: createdRole, expiresAt } };
    }
    redirectIfSignedOut(res, url);
    return failWith(res.status, { form: 'create', values, ...publicErrors(res.error, WORDING) });
  },

  revoke: async ({ fetch, params, request, url }) => {
    const inviteId = (await request.formData()).get('inviteId');
    const id = typeof inviteId === 'string' ? inviteId.slice(0, 64) : '';
    const res = await callApi<Invite>(
      fetch,
      'POST',
      `/api/admin/events/${encodeURIComponent(params.id)}/invites/${encodeURIComponent(id)}/revoke`,
    );
    if (res.ok) return { revoked: { id: res.data.id, label: res.data.label, uses: res.data.uses.length } };
    redirectIfSignedOut(res, url);
    const message = res.status === 404 ? 'That invite link no longer exists.' : formMessage(res.error);
    return failWith(res.status, { form: 'revoke', values: {}, errors: {}, message });
  },
};
