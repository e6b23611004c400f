/**
 * Loads JSON from the REST API during a load function. A 404 from the API becomes SvelteKit's
 * 404 page; anything else that is not OK becomes a 503 (the catalogue cannot be reached).
 */
import { error } from '@sveltejs/kit';

type Fetch = typeof globalThis.fetch;

export async function apiGet<T>(fetch: Fetch, path: string, notFound = 'We could not find that page.'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path);
  } catch {
    error(503, 'The catalogue is not reachable right now. Please try again in a moment.');
  }
  if (res.status === 404) error(404, notFound);
  if (res.status === 400) error(400, 'That address has a part we do not understand.');
  if (!res.ok) error(503, 'The catalogue is not reachable right now. Please try again in a moment.');
  return (await res.json()) as T;
}
