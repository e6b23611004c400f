/** Which slice of the catalogue an event belongs to, as the server decides it for listings. */
import type { EventListing, EventSummary } from '@colloquy/shared';

/** Live first; ended, or past its end time, is past; anything else is upcoming. */
export function listingOf(e: Pick<EventSummary, 'status' | 'endsAt'>, now: number): EventListing {
  if (e.status === 'live') return 'live';
  if (e.status === 'ended' || Date.parse(e.endsAt) <= now) return 'past';
  return 'upcoming';
}

/** Splits a list into live and upcoming (soonest first) and past (most recent first). */
export function splitEvents(events: EventSummary[], now: number) {
  const byStart = [...events].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return {
    live: byStart.filter((e) => listingOf(e, now) === 'live'),
    upcoming: byStart.filter((e) => listingOf(e, now) === 'upcoming'),
    past: byStart.filter((e) => listingOf(e, now) === 'past').reverse(),
  };
}

export const LISTING_LABEL: Record<EventListing, string> = {
  live: 'Live now',
  upcoming: 'Upcoming',
  past: 'Ended',
};
