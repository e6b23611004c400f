import { eventFormOptions, saveEvent } from '#lib/admin/event-actions.ts';
import { emptyEventValues } from '#lib/admin/event-form.ts';
import { normalizeZone } from '#lib/admin/zones.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url, locals }) => ({
  ...(await eventFormOptions(fetch, url)),
  // The viewer's zone once their browser has told us (the `tz` cookie); UTC until then.
  initial: emptyEventValues(normalizeZone(locals.viewerZone) ?? 'UTC'),
});

export const actions: Actions = {
  default: (event) => saveEvent(event, { method: 'POST', path: '/api/admin/events' }),
};
