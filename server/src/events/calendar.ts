import { createEvent } from 'ics';
import type { EventRecord } from './store.ts';
import { markdownToText } from './markdown.ts';

/** Formats an instant in the event's own zone, e.g. "27 April 2021, 14:00 GMT+3". */
export function formatInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/**
 * An iCalendar file for one event. Times are written as UTC instants (`DTSTART:…Z`): every
 * calendar shows them in its owner's zone, and no server wall clock can leak into them.
 */
export function eventIcs(event: EventRecord, publicUrl: string): string {
  const url = `${publicUrl}/events/${event.slug}`;
  const when = `${formatInZone(event.startsAt, event.timeZone)} (${event.timeZone})`;
  const { error, value } = createEvent({
    productId: 'colloquy/events',
    uid: `${event.id}@colloquy`,
    title: event.title,
    description: `${markdownToText(event.description, 900)}\n\nStarts ${when}.\nJoin: ${url}`,
    url,
    location: event.location || url,
    start: Date.parse(event.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(event.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: 'CONFIRMED',
    lastModified: Date.parse(event.updatedAt),
  });
  if (error || !value) throw error ?? new Error('calendar generation failed');
  return value;
}
