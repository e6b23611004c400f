import type { AttendanceReport } from '@colloquy/shared';
import { adminGet } from '#lib/admin/api.ts';
import type { AdminEvent } from '#lib/admin/types.ts';
import type { PageServerLoad } from './$types';

const NOT_FOUND = 'We could not find that event.';

/** The event (with its zone, for showing times there too) and its attendance from LiveKit. */
export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const e = await adminGet<AdminEvent>(fetch, url, `/api/admin/events/${encodeURIComponent(params.id)}`, NOT_FOUND);
  const report = await adminGet<AttendanceReport>(
    fetch,
    url,
    `/api/events/${encodeURIComponent(e.slug)}/attendance`,
    NOT_FOUND,
  );
  return {
    event: {
      id: e.id,
      slug: e.slug,
      title: e.title,
      status: e.status,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      speakerIds: e.speakerIds,
    },
    timeZone: e.timeZone,
    report: {
      ...report,
      // Audience first, then speakers and staff; by name within each.
      people: report.people.toSorted(
        (a, b) => rank(a.role) - rank(b.role) || a.displayName.localeCompare(b.displayName),
      ),
    },
  };
};

const ORDER = ['audience', 'speaker', 'moderator', 'organizer'];
const rank = (role: string) => (ORDER.includes(role) ? ORDER.indexOf(role) : ORDER.length);
