/** Loading the event an organizer manages, for the event's admin pages (invites, audience). */
import type { Fetch } from '#lib/forms/api.ts';
import { adminGet } from './api.ts';
import type { AdminEvent, Items } from './types.ts';

/** The fields of the admin event record these pages use. */
export type ManagedEvent = Pick<AdminEvent, 'id' | 'slug' | 'title' | 'status' | 'startsAt' | 'endsAt' | 'speakerIds'>;

const NOT_FOUND = 'We could not find that event.';

/**
 * Loads the event (404 if none). A viewer who is not an organizer is sent to sign in, by the admin
 * layout and by adminGet when the API refuses them.
 */
export async function loadAdminEvent(fetch: Fetch, url: URL, id: string): Promise<ManagedEvent> {
  const e = await adminGet<AdminEvent>(fetch, url, `/api/admin/events/${encodeURIComponent(id)}`, NOT_FOUND);
  return {
    id: e.id,
    slug: e.slug,
    title: e.title,
    status: e.status,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    speakerIds: e.speakerIds,
  };
}

/** A list the admin API answers as `{ items }`; the page cannot work without it. */
export async function loadItems<T>(fetch: Fetch, url: URL, path: string): Promise<T[]> {
  return (await adminGet<Items<T>>(fetch, url, path, NOT_FOUND)).items;
}
