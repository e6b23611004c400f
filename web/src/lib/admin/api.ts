/**
 * Server-side helpers for the organizer pages, on top of `callApi` (#lib/forms/api.ts): loads
 * that need an organizer, and what to do when the API says the visitor is not (or no longer) one.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Me } from '@colloquy/shared';
import { callApi, type ApiResult, type Fetch } from '#lib/forms/api.ts';
import { NOT_REACHABLE } from '#lib/forms/forms.ts';

/** The API's httpOnly session cookie (the pages only check that it is there, never read it). */
export const SESSION_COOKIE = 'colloquy_session';

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
  if (result.status === 404) error(404, notFound);
  error(503, 'The catalogue is not reachable right now. Please try again in a moment.');
}

/** The signed-in organizer, asked of the API (the admin layout checks too); anyone else signs in. */
export async function requireOrganizer(fetch: Fetch, url: URL): Promise<NonNullable<Me['user']>> {
  const me = await callApi<Me>(fetch, 'GET', '/api/auth/me');
  redirectIfSignedOut(me, url);
  if (!me.ok) error(503, NOT_REACHABLE);
  if (me.data.user?.kind !== 'organizer') redirect(303, loginUrl(url));
  return me.data.user;
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
