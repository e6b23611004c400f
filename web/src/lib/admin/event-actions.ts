/** The server side of the event form: what its pages load, and the save action shared by new and edit. */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { callApi, type Fetch } from '#lib/forms/api.ts';
import { errorsFromApi, failWith } from '#lib/forms/forms.ts';
import { adminGet, redirectIfSignedOut } from './api.ts';
import { EVENT_PATHS, readEventForm, toEventInput } from './event-form.ts';
import type { AdminEvent, AdminSeries, AdminSpeaker, Items } from './types.ts';
import { timeZones } from './zones.ts';

/** The choices the form offers: series, speakers (by name) and time zones. */
export async function eventFormOptions(fetch: Fetch, url: URL) {
  const [series, speakers] = await Promise.all([
    adminGet<Items<AdminSeries>>(fetch, url, '/api/admin/series'),
    adminGet<Items<AdminSpeaker>>(fetch, url, '/api/admin/speakers'),
  ]);
  return {
    series: series.items.map((s) => ({ id: s.id, title: s.title })).sort((a, b) => a.title.localeCompare(b.title)),
    speakers: speakers.items
      .map((s) => ({ id: s.id, name: s.name, organization: s.organization }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    zones: timeZones(),
  };
}

/**
 * Reads the form, converts the start to UTC, and creates (POST) or replaces (PUT) the event;
 * then goes to its edit page. Problems come back with everything the organizer typed.
 */
export async function saveEvent(event: RequestEvent, target: { method: 'POST' | 'PUT'; path: string }) {
  const { request, fetch, url } = event;
  const typed = readEventForm(await request.formData());
  const checked = toEventInput(typed);
  if (!checked.ok) return failWith(400, { values: typed, errors: checked.errors });

  const result = await callApi<AdminEvent>(fetch, target.method, target.path, checked.input);
  if (result.ok) {
    const outcome = target.method === 'POST' ? 'created' : 'saved';
    redirect(303, `/admin/events/${encodeURIComponent(result.data.id)}?${outcome}=1`);
  }
  redirectIfSignedOut(result, url);
  const { errors, message } = errorsFromApi(result.error, { paths: EVENT_PATHS, thing: 'event' });
  return failWith(result.status, { values: checked.values, errors, message });
}
