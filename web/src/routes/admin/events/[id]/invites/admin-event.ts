/** Loading the event an organizer manages, for the event's admin pages (invites, audience). */
import { error } from '@sveltejs/kit';
import type { EventStatus } from '@colloquy/shared';
import { callApi, loginRedirect, requireOrganizer } from '../../../../invite/_forms/api.ts';

type Fetch = typeof globalThis.fetch;

/** The fields of the admin event record these pages use. */
export interface AdminEvent {
  id: string;
  slug: string;
  title: string;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  speakerIds: string[];
}

/** Checks that the viewer is an organizer (else to /login?next=…), then loads the event (404 if none). */
export async function loadAdminEvent(fetch: Fetch, url: URL, id: string): Promise<AdminEvent> {
  await requireOrganizer(fetch, url);
  const res = await callApi<AdminEvent>(fetch, 'GET', `/api/admin/events/${encodeURIComponent(id)}`);
  if (!res.ok) {
    if (res.status === 401 || res.status === 403) loginRedirect(url);
    if (res.status === 404) error(404, 'We could not find that event.');
    error(503, 'The server is not reachable right now. Please try again in a moment.');
  }
  const { slug, title, status, startsAt, endsAt, speakerIds } = res.data;
  return { id: res.data.id, slug, title, status, startsAt, endsAt, speakerIds };
}

/** A list the admin API answers as `{ items }`; the page cannot work without it. */
export async function loadItems<T>(fetch: Fetch, url: URL, path: string): Promise<T[]> {
  const res = await callApi<{ items: T[] }>(fetch, 'GET', path);
  if (res.ok) return res.data.items;
  if (res.status === 401 || res.status === 403) loginRedirect(url);
  error(
    res.status === 404 ? 404 : 503,
    res.status === 404
      ? 'We could not find that event.'
      : 'The server is not reachable right now. Please try again in a moment.',
  );
}
