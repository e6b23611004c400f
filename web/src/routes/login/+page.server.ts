import { redirect } from '@sveltejs/kit';
import type { Me } from '@colloquy/shared';
import { safeNext } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { errorsFromApi, failWith, field, retryText, type FieldErrors } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url }) => {
  const { user } = await parent();
  const next = safeNext(url.searchParams.get('next'));
  if (user?.kind === 'organizer') redirect(303, next ?? '/admin');
  const signedOut = url.searchParams.get('signedout');
  return { next, signedOut: signedOut === 'all' ? 'all' : signedOut === '1' ? 'one' : null };
};

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const data = await request.formData();
    const email = field(data, 'email').trim();
    const password = field(data, 'password');
    const next = safeNext(field(data, 'next'));
    const values = { email, next };

    const errors: FieldErrors = {};
    if (!email) errors.email = 'Enter your email address.';
    if (!password) errors.password = 'Enter your password.';
    if (Object.keys(errors).length > 0) return failWith(400, { values, errors });

    const result = await callApi<Me>(fetch, 'POST', '/api/auth/login', { email, password });
    if (result.ok) redirect(303, next ?? '/admin');

    if (result.status === 429) return failWith(429, { values, errors: {}, message: retryText(result.error) });
    if (result.status === 401) {
      return failWith(401, {
        values,
        errors: { password: 'The email address or password is wrong. Check them and try again.' },
      });
    }
    if (result.error.code === 'validation_failed') {
      const { errors: fromApi } = errorsFromApi(result.error, {
        messages: { email: 'Enter an email address such as name@example.org.' },
      });
      return failWith(400, { values, errors: fromApi });
    }
    return failWith(result.status, { values, errors: {}, message: result.error.message });
  },
};
