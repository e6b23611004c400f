import type { FilterWords } from '@colloquy/shared';
import { adminGet, redirectIfSignedOut } from '#lib/admin/api.ts';
import { callApi } from '#lib/forms/api.ts';
import { errorsFromApi, failWith, field } from '#lib/forms/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const WORDS = '/api/admin/moderation/words';

export const load: PageServerLoad = async ({ fetch, url }) => {
  const { words } = await adminGet<FilterWords>(fetch, url, WORDS);
  return { words };
};

export const actions: Actions = {
  add: async ({ fetch, request, url }) => {
    const word = field(await request.formData(), 'word');
    const res = await callApi<FilterWords>(fetch, 'POST', WORDS, { word });
    if (res.ok) return { form: 'add', added: word.trim(), already: res.status === 200 };
    redirectIfSignedOut(res, url);
    const { errors, message } = errorsFromApi(res.error, { messages: {} });
    return failWith(res.status, { form: 'add', values: { word }, errors, ...(message ? { message } : {}) });
  },
  remove: async ({ fetch, request, url }) => {
    const word = field(await request.formData(), 'word');
    const res = await callApi<null>(fetch, 'DELETE', `${WORDS}/${encodeURIComponent(word)}`);
    if (res.ok || res.status === 404) return { form: 'remove', removed: word };
    redirectIfSignedOut(res, url);
    return failWith(res.status, { form: 'remove', values: { word }, errors: {}, message: res.error.message });
  },
};
