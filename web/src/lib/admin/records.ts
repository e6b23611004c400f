/**
 * Series and speaker forms: their fields, the checks the API cannot word well, and the
 * conversion to SeriesInput / SpeakerInput.
 */
import type { SeriesInput, SpeakerInput } from '@colloquy/shared';
import { isCountry } from '#lib/forms/countries.ts';
import { field, type FieldErrors } from '#lib/forms/forms.ts';
import { slugify } from './slug.ts';
import type { AdminSeries, AdminSpeaker } from './types.ts';

type Checked<I, V> = { ok: true; input: I; values: V } | { ok: false; errors: FieldErrors };

export interface SeriesFormValues {
  title: string;
  slug: string;
  description: string;
}

export const emptySeries = (): SeriesFormValues => ({ title: '', slug: '', description: '' });

export const seriesValues = (s: AdminSeries): SeriesFormValues => ({
  title: s.title,
  slug: s.slug,
  description: s.description,
});

export const readSeriesForm = (data: FormData): SeriesFormValues => ({
  title: field(data, 'title'),
  slug: field(data, 'slug').trim(),
  description: field(data, 'description'),
});

export function toSeriesInput(v: SeriesFormValues): Checked<SeriesInput, SeriesFormValues> {
  const errors: FieldErrors = {};
  const title = v.title.trim();
  if (!title) errors.title = 'Enter a title.';
  const slug = v.slug || slugify(title);
  if (!slug && title) errors.slug = 'We could not make a web address from this title. Type one, such as living-lab.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: { ...v, slug }, input: { slug, title, description: v.description } };
}

export const SERIES_LABELS: Record<string, string> = {
  title: 'Title',
  slug: 'Web address',
  description: 'Description',
};

export interface SpeakerFormValues {
  name: string;
  slug: string;
  title: string;
  organization: string;
  country: string;
  bio: string;
}

export const emptySpeaker = (): SpeakerFormValues => ({
  name: '',
  slug: '',
  title: '',
  organization: '',
  country: '',
  bio: '',
});

export const speakerValues = (s: AdminSpeaker): SpeakerFormValues => ({
  name: s.name,
  slug: s.slug,
  title: s.title,
  organization: s.organization,
  country: s.country,
  bio: s.bio,
});

export const readSpeakerForm = (data: FormData): SpeakerFormValues => ({
  name: field(data, 'name'),
  slug: field(data, 'slug').trim(),
  title: field(data, 'title'),
  organization: field(data, 'organization'),
  country: field(data, 'country'),
  bio: field(data, 'bio'),
});

export function toSpeakerInput(
  v: SpeakerFormValues,
  photoUrl: string | null,
): Checked<SpeakerInput, SpeakerFormValues> {
  const errors: FieldErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Enter the speaker’s name.';
  const slug = v.slug || slugify(name);
  if (!slug && name) errors.slug = 'We could not make a web address from this name. Type one, such as leila-haddad.';
  if (!isCountry(v.country)) errors.country = 'Choose the country the speaker works in.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    values: { ...v, slug },
    input: {
      slug,
      name,
      title: v.title.trim(),
      organization: v.organization.trim(),
      country: v.country,
      bio: v.bio.trim(),
      photoUrl,
    },
  };
}

export const SPEAKER_LABELS: Record<string, string> = {
  name: 'Name',
  slug: 'Web address',
  title: 'Job title',
  organization: 'Organization',
  country: 'Country',
  bio: 'Biography',
};
