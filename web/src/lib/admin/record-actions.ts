/** The server side of the series and speaker pages: finding one record, saving, photos, deleting. */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { callApi, type Fetch } from '#lib/forms/api.ts';
import { errorsFromApi, failWith } from '#lib/forms/forms.ts';
import { adminGet, redirectIfSignedOut } from './api.ts';
import { photoLimitBytes, photoLimitText } from './photo-limit.ts';
import { readSeriesForm, readSpeakerForm, toSeriesInput, toSpeakerInput } from './records.ts';
import type { AdminSeries, AdminSpeaker } from './types.ts';

export type Kind = 'series' | 'speakers';

const NOUN: Record<Kind, string> = { series: 'series', speakers: 'speaker' };

const recordPath = (kind: Kind, id: string) => `/api/admin/${kind}/${encodeURIComponent(id)}`;

/** One series or speaker, or the 404 page. */
export async function findRecord<K extends Kind>(
  fetch: Fetch,
  url: URL,
  kind: K,
  id: string,
): Promise<K extends 'series' ? AdminSeries : AdminSpeaker> {
  return adminGet(fetch, url, recordPath(kind, id), `We could not find that ${NOUN[kind]}. It may have been deleted.`);
}

/** Creates (no id) or replaces a series, then shows its edit page. */
export async function saveSeries(event: RequestEvent, id: string | null) {
  const typed = readSeriesForm(await event.request.formData());
  const checked = toSeriesInput(typed);
  if (!checked.ok) return failWith(400, { values: typed, errors: checked.errors });
  const result = id
    ? await callApi<AdminSeries>(event.fetch, 'PUT', recordPath('series', id), checked.input)
    : await callApi<AdminSeries>(event.fetch, 'POST', '/api/admin/series', checked.input);
  if (result.ok) redirect(303, `/admin/series/${encodeURIComponent(result.data.id)}?${id ? 'saved' : 'created'}=1`);
  redirectIfSignedOut(result, event.url);
  const { errors, message } = errorsFromApi(result.error, { thing: 'series' });
  return failWith(result.status, { values: checked.values, errors, message });
}

/** Creates (no id) or replaces a speaker, keeping their photo, then shows their edit page. */
export async function saveSpeaker(event: RequestEvent, existing: AdminSpeaker | null) {
  const typed = readSpeakerForm(await event.request.formData());
  const checked = toSpeakerInput(typed, existing?.photoUrl ?? null);
  if (!checked.ok) return failWith(400, { form: 'details', values: typed, errors: checked.errors });
  const result = existing
    ? await callApi<AdminSpeaker>(event.fetch, 'PUT', recordPath('speakers', existing.id), checked.input)
    : await callApi<AdminSpeaker>(event.fetch, 'POST', '/api/admin/speakers', checked.input);
  if (result.ok) {
    redirect(303, `/admin/speakers/${encodeURIComponent(result.data.id)}?${existing ? 'saved' : 'created'}=1`);
  }
  redirectIfSignedOut(result, event.url);
  const { errors, message } = errorsFromApi(result.error, { thing: 'speaker' });
  return failWith(result.status, { form: 'details', values: checked.values, errors, message });
}

/** A file name fit for a header: no path, plain ASCII. The API only records it. */
function headerSafeName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  return (
    base
      .replace(/[^A-Za-z0-9._ -]+/g, '_')
      .replace(/\.{2,}/g, '.')
      .slice(0, 200) || 'photo'
  );
}

/**
 * Sends the uploaded file's bytes to the API as the raw request body. The API decides from the
 * bytes whether it is an image (415 if not) and re-encodes it.
 */
export async function uploadPhoto(event: RequestEvent, id: string) {
  const failPhoto = (status: number, message: string) =>
    failWith(status, { form: 'photo', values: {}, errors: { photo: message } });
  const tooLarge = `That file is too large. Photos can be at most ${photoLimitText()}.`;

  let data: FormData;
  try {
    data = await event.request.formData();
  } catch {
    // The body was refused before we could read it: larger than this server accepts.
    return failPhoto(413, tooLarge);
  }
  const file = data.get('photo');
  if (!(file instanceof File) || file.size === 0) return failPhoto(400, 'Choose a photo to upload.');
  if (file.size > photoLimitBytes()) return failPhoto(413, tooLarge);

  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = await callApi<AdminSpeaker>(event.fetch, 'POST', `${recordPath('speakers', id)}/photo`, bytes, {
    'content-type': file.type || 'application/octet-stream',
    'x-filename': headerSafeName(file.name),
  });
  if (result.ok) redirect(303, `/admin/speakers/${encodeURIComponent(id)}?photo=1`);
  redirectIfSignedOut(result, event.url);
  if (result.status === 415) {
    return failPhoto(415, 'That file is not an image we accept. Choose a JPEG, PNG, WebP, GIF or AVIF photo.');
  }
  if (result.status === 413) return failPhoto(413, tooLarge);
  if (result.error.code === 'rate_limited') return failPhoto(429, errorsFromApi(result.error).message ?? '');
  return failPhoto(result.status, result.error.message);
}

/** Deletes a series or speaker, then back to its list. */
export function deleteRecord(event: RequestEvent, kind: Kind, id: string) {
  return deleteThen(event, recordPath(kind, id), `/admin/${kind}?deleted=1`);
}

/** Deletes what the API has at `path` (gone already counts as done), then goes to `done`. */
export async function deleteThen(event: RequestEvent, path: string, done: string) {
  const result = await callApi(event.fetch, 'DELETE', path);
  if (result.ok || result.status === 404) redirect(303, done);
  redirectIfSignedOut(result, event.url);
  return failWith(result.status, { values: {}, errors: {}, message: result.error.message });
}
