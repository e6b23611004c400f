import { z } from 'zod';
import { LIMITS } from './limits.ts';

/** Lifecycle of an event: moderators move it scheduled → live → ended. */
export const EventStatus = z.enum(['scheduled', 'live', 'ended']);
export type EventStatus = z.infer<typeof EventStatus>;

/** Which slice of the catalogue a listing shows. */
export const EventListing = z.enum(['upcoming', 'live', 'past']);
export type EventListing = z.infer<typeof EventListing>;

export const Slug = z
  .string()
  .min(1)
  .max(LIMITS.slugMaxLength)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone');

/** An instant in UTC, ISO 8601 with a `Z` or an offset. */
export const Instant = z.iso.datetime({ offset: true });

/** ISO 3166-1 alpha-2 country code; pages show the name in the viewer's language. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'use a two-letter ISO country code');

export const SpeakerInput = z.object({
  slug: Slug,
  name: z.string().trim().min(1).max(LIMITS.nameMaxLength),
  title: z.string().trim().max(LIMITS.nameMaxLength),
  organization: z.string().trim().max(LIMITS.nameMaxLength),
  country: CountryCode,
  bio: z.string().trim().max(LIMITS.bioMaxLength),
  photoUrl: z.string().max(500).nullable(),
});
export type SpeakerInput = z.infer<typeof SpeakerInput>;

export const SeriesInput = z.object({
  slug: Slug,
  title: z.string().trim().min(1).max(LIMITS.titleMaxLength),
  description: z.string().max(LIMITS.descriptionMaxLength),
});
export type SeriesInput = z.infer<typeof SeriesInput>;

export const EventInput = z
  .object({
    slug: Slug,
    title: z.string().trim().min(1).max(LIMITS.titleMaxLength),
    description: z.string().max(LIMITS.descriptionMaxLength),
    startsAt: Instant,
    endsAt: Instant,
    timeZone: TimeZone,
    status: EventStatus,
    seriesId: z.string().nullable(),
    speakerIds: z.array(z.string()).max(20),
    location: z.string().trim().max(LIMITS.nameMaxLength),
  })
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });
export type EventInput = z.infer<typeof EventInput>;

/** Where a record came from: demo records may be reloaded; organizer records are never touched by the seed. */
export type Origin = 'demo' | 'organizer';

export interface Speaker extends SpeakerInput {
  id: string;
}

export interface SpeakerSummary {
  slug: string;
  name: string;
  title: string;
  organization: string;
  country: string;
  photoUrl: string | null;
}

export interface Series extends SeriesInput {
  id: string;
  /** The description rendered from Markdown and sanitized. */
  descriptionHtml: string;
}

export interface SeriesSummary {
  slug: string;
  title: string;
}

export interface EventSummary {
  id: string;
  slug: string;
  title: string;
  /** Plain-text excerpt of the description. */
  summary: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  status: EventStatus;
  location: string;
  series: SeriesSummary | null;
  speakers: SpeakerSummary[];
}

export interface EventDetail extends EventSummary {
  description: string;
  descriptionHtml: string;
  speakers: (SpeakerSummary & { bio: string })[];
}

export interface SeriesDetail extends Series {
  events: EventSummary[];
}

export interface SpeakerDetail extends Speaker {
  events: EventSummary[];
}

export const EventListQuery = z.object({
  status: EventListing.default('upcoming'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type EventListQuery = z.infer<typeof EventListQuery>;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}
