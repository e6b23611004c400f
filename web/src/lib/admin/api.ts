/**
 * Server-side helpers for the organizer pages, on top of `callApi` (#lib/forms/api.ts): loads
 * that need an organizer, and what to do when the API says the visitor is not (or no longer) one.
 */
import { redirect } from '@sveltejs/kit';
import { callApi, type ApiResult, type Fetch } from '#lib/forms/api.ts';
import { loadFailed } from '#lib/api.ts';

/** Where to send someone who must sign in first, returning to `url` afterwards. */
export function loginUrl(url: URL): string {
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** A 401 or 403 from the API means the session ended or is not an organizer's: sign in again. */
export function redirectIfSignedOut(result: ApiResult<unknown>, url: URL): void {
  if (!result.ok && (result.status === 401 || result.status === 403)) redirect(303, loginUrl(url));
}

/** GET for a load: the data, or the sign-in page, a 404 page, or a 503 page. */
export async function adminGet<T>(
  fetch: Fetch,
  url: URL,
  path: string,
  notFound = 'We could not find that.',
): Promise<T> {
  const result = await callApi<T>(fetch, 'GET', path);
  if (result.ok) return result.data;
  redirectIfSignedOut(result, url);
  loadFailed(result.status, notFound);
}

/**
 * A path inside this site to return to after signing in, or null. Refuses anything that could
 * leave the site: other origins, protocol-relative `//host`, backslashes, control characters.
 */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return null;
  const parsed = new URL(next, 'http://colloquy.invalid');
  if (parsed.origin !== 'http://colloquy.invalid') return null;
  if (parsed.pathname === '/login') return null;
  return parsed.pathname + parsed.search + parsed.hash;
}
