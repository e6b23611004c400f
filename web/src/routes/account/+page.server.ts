import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '@colloquy/shared';
import { loginUrl, redirectIfSignedOut } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { errorsFromApi, failWith, field, type FieldErrors } from '#lib/forms/forms.ts';
import type { Me } from '@colloquy/shared';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url }) => {
  const { user } = await parent();
  if (user?.kind !== 'organizer') redirect(303, loginUrl(url));
  return { user, changed: url.searchParams.get('changed') === '1' };
};

export const actions: Actions = {
  password: async ({ request, fetch, url }) => {
    const data = await request.formData();
    const currentPassword = field(data, 'currentPassword');
    const newPassword = field(data, 'newPassword');
    const confirmPassword = field(data, 'confirmPassword');
    const fail = (status: number, errors: FieldErrors, message?: string) =>
      failWith(status, { form: 'password', values: {}, errors, message });

    const errors: FieldErrors = {};
    if (!currentPassword) errors.currentPassword = 'Enter your current password.';
    if (newPassword.length < 10) errors.newPassword = 'Use at least 10 characters for the new password.';
    else if (newPassword.length > 256) errors.newPassword = 'Use at most 256 characters for the new password.';
    if (!errors.newPassword && confirmPassword !== newPassword) {
      errors.confirmPassword = 'The two new passwords are different. Type the same password twice.';
    }
    if (Object.keys(errors).length > 0) return fail(400, errors);

    const result = await callApi(fetch, 'POST', '/api/auth/password', { currentPassword, newPassword });
    if (result.ok) redirect(303, '/account?changed=1');
    if (result.status === 401) {
      // Either the current password is wrong or the session has ended: ask who we are.
      const me = await callApi<Me>(fetch, 'GET', '/api/auth/me');
      if (me.ok && me.data.user?.kind === 'organizer') {
        return fail(401, { currentPassword: 'Your current password is wrong.' });
      }
    }
    redirectIfSignedOut(result, url);
    const { errors: fromApi, message } = errorsFromApi(result.error, {
      messages: { newPassword: 'Use at least 10 characters for the new password.' },
    });
    return fail(result.status, fromApi, message);
  },

  logout: async ({ fetch, cookies }) => {
    // The API revokes the session and clears its cookie; if it cannot be reached, this browser
    // forgets the cookie anyway.
    const result = await callApi(fetch, 'POST', '/api/auth/logout');
    if (!result.ok) cookies.delete(SESSION_COOKIE, { path: '/' });
    redirect(303, '/login?signedout=1');
  },

  logoutAll: async ({ fetch, url }) => {
    const result = await callApi(fetch, 'POST', '/api/auth/logout-all');
    if (result.ok) redirect(303, '/login?signedout=all');
    redirectIfSignedOut(result, url);
    return failWith(result.status, { form: 'logoutAll', values: {}, errors: {}, message: result.error.message });
  },
};
