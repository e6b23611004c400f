/**
 * Loads JSON from the REST API during a load function, through the one API caller (callApi).
 * A 404 from the API becomes SvelteKit's 404 page; anything else that is not OK a 503.
 */
import { error } from '@sveltejs/kit';
import { callApi, type Fetch } from '#lib/forms/api.ts';

const UNREACHABLE = 'The catalogue is not reachable right now. Please try again in a moment.';

/** The error page for a failed load: 404 with `notFound`, 400 for a bad address, else 503. */
export function loadFailed(status: number, notFound: string): never {
  if (status === 404) error(404, notFound);
  if (status === 400) error(400, 'That address has a part we do not understand.');
  error(503, UNREACHABLE);
}

export async function apiGet<T>(fetch: Fetch, path: string, notFound = 'We could not find that page.'): Promise<T> {
  const result = await callApi<T>(fetch, 'GET', path);
  if (result.ok) return result.data;
  loadFailed(result.status, notFound);
}
