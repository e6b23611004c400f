import { adminGet } from '#lib/admin/api.ts';
import { eventFormOptions, saveEvent } from '#lib/admin/event-actions.ts';
import { valuesFromEvent } from '#lib/admin/event-form.ts';
import type { AdminEvent } from '#lib/admin/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, params }) => {
  const [event, options] = await Promise.all([
    adminGet<AdminEvent>(
      fetch,
      url,
      `/api/admin/events/${encodeURIComponent(params.id)}`,
      'We could not find that event.',
    ),
    eventFormOptions(fetch, url),
  ]);
  return {
    ...options,
    event,
    initial: valuesFromEvent(event),
    notice: url.searchParams.has('created') ? 'created' : url.searchParams.has('saved') ? 'saved' : null,
  };
};

export const actions: Actions = {
  default: (event) =>
    saveEvent(event, { method: 'PUT', path: `/api/admin/events/${encodeURIComponent(event.params.id ?? '')}` }),
};
