/**
 * The event form's fields and their conversion to the API's EventInput. The organizer types the
 * start as a wall-clock date and time in the event's zone plus a duration; the instants sent to
 * the API are computed here, on the server side of the form action.
 */
import { EventStatus, type EventInput } from '@colloquy/shared';
import { field, fields, type FieldErrors } from '#lib/forms/forms.ts';
import { slugify } from './slug.ts';
import type { AdminEvent } from './types.ts';
import { instantToZoned, zonedToInstant } from './zoned.ts';
import { normalizeZone } from './zones.ts';

export interface EventFormValues {
  title: string;
  slug: string;
  description: string;
  status: string;
  seriesId: string;
  speakerIds: string[];
  location: string;
  timeZone: string;
  startDate: string;
  startTime: string;
  durationHours: string;
  durationMinutes: string;
}

export const STATUS_LABEL: Record<EventStatus, string> = {
  scheduled: 'Scheduled',
  live: 'Live now',
  ended: 'Ended',
};

/** Longest event the form accepts: 72 hours. */
const MAX_MINUTES = 72 * 60;

/**
 * A duration from its hours and minutes fields, in minutes; null when not a sensible one. The
 * fields are text in a form post and numbers (or null when empty) bound to number inputs.
 */
export function parseDuration(hours: string | number | null, minutes: string | number | null): number | null {
  const number = (v: string | number | null) => (v === null || String(v).trim() === '' ? 0 : Number(v));
  const h = number(hours);
  const m = number(minutes);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0 || m > 59) return null;
  const total = h * 60 + m;
  return total > 0 && total <= MAX_MINUTES ? total : null;
}

export function emptyEventValues(timeZone: string): EventFormValues {
  return {
    title: '',
    slug: '',
    description: '',
    status: 'scheduled',
    seriesId: '',
    speakerIds: [],
    location: 'Online',
    timeZone,
    startDate: '',
    startTime: '',
    durationHours: '1',
    durationMinutes: '30',
  };
}

export function valuesFromEvent(e: AdminEvent): EventFormValues {
  const start = instantToZoned(e.startsAt, e.timeZone);
  const minutes = Math.round((Date.parse(e.endsAt) - Date.parse(e.startsAt)) / 60_000);
  return {
    title: e.title,
    slug: e.slug,
    description: e.description,
    status: e.status,
    seriesId: e.seriesId ?? '',
    speakerIds: e.speakerIds,
    location: e.location,
    timeZone: e.timeZone,
    startDate: start.date,
    startTime: start.time,
    durationHours: String(Math.floor(minutes / 60)),
    durationMinutes: String(minutes % 60),
  };
}

export function readEventForm(data: FormData): EventFormValues {
  return {
    title: field(data, 'title'),
    slug: field(data, 'slug').trim(),
    description: field(data, 'description'),
    status: field(data, 'status'),
    seriesId: field(data, 'seriesId'),
    speakerIds: fields(data, 'speakerIds'),
    location: field(data, 'location'),
    timeZone: field(data, 'timeZone').trim(),
    startDate: field(data, 'startDate').trim(),
    startTime: field(data, 'startTime').trim(),
    durationHours: field(data, 'durationHours').trim(),
    durationMinutes: field(data, 'durationMinutes').trim(),
  };
}

/** The start instant for the preview and the action: null while the fields do not name one. */
export function startInstant(v: Pick<EventFormValues, 'startDate' | 'startTime' | 'timeZone'>): string | null {
  const zone = normalizeZone(v.timeZone);
  if (!zone) return null;
  const r = zonedToInstant(v.startDate, v.startTime, zone);
  return r.ok ? r.instant : null;
}

/**
 * Checks what the API cannot explain well (empty fields, dates, zones, durations) and builds the
 * EventInput; the API still validates everything and answers for the rest (such as a taken slug).
 */
export function toEventInput(
  v: EventFormValues,
): { ok: true; input: EventInput; values: EventFormValues } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const title = v.title.trim();
  if (!title) errors.title = 'Enter a title.';
  const slug = v.slug || slugify(title);
  if (!slug && title) errors.slug = 'We could not make a web address from this title. Type one, such as living-lab-5.';
  const status = EventStatus.safeParse(v.status);
  if (!status.success) errors.status = 'Choose a status.';
  const zone = normalizeZone(v.timeZone);
  if (!zone) errors.timeZone = 'Choose a time zone from the list, such as Africa/Nairobi.';

  let startsAt: string | null = null;
  if (!v.startDate) errors.startDate = 'Enter the date the event starts.';
  if (!v.startTime) errors.startTime = 'Enter the time the event starts.';
  if (v.startDate && v.startTime && zone) {
    const r = zonedToInstant(v.startDate, v.startTime, zone);
    if (r.ok) startsAt = r.instant;
    else if (r.reason === 'skipped')
      errors.startTime = `${v.startTime} does not exist on that day in ${zone}: the clocks change then. Choose another time.`;
    else errors.startDate = 'Enter a real date and time, such as 2031-03-04 and 14:00.';
  }
  const minutes = parseDuration(v.durationHours, v.durationMinutes);
  if (minutes === null) errors.durationHours = 'Enter how long the event lasts: at least 1 minute, at most 72 hours.';

  if (Object.keys(errors).length > 0 || !startsAt || minutes === null || !zone || !status.success) {
    return { ok: false, errors };
  }
  const values = { ...v, slug, timeZone: zone };
  return {
    ok: true,
    values,
    input: {
      slug,
      title,
      description: v.description,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString().replace('.000Z', 'Z'),
      timeZone: zone,
      status: status.data,
      seriesId: v.seriesId || null,
      speakerIds: [...new Set(v.speakerIds)],
      location: v.location.trim(),
    },
  };
}

/** The API's field names → the form's. */
export const EVENT_PATHS: Record<string, string> = {
  startsAt: 'startDate',
  endsAt: 'durationHours',
  speakerIds: 'speakers',
};

/** Labels for the error summary, in the form's order. */
export const EVENT_LABELS: Record<string, string> = {
  title: 'Title',
  slug: 'Web address',
  description: 'Description',
  timeZone: 'Time zone',
  startDate: 'Start date',
  startTime: 'Start time',
  durationHours: 'Duration',
  location: 'Location',
  seriesId: 'Series',
  speakers: 'Speakers',
  status: 'Status',
};
