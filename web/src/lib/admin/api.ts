/**
 * Server-side helpers for the organizer pages: calls to the REST API from loads and form
 * actions (through `event.fetch`, which hooks.server.ts sends over loopback with the visitor's
 * cookies), and what to do when the API says the visitor is not (or no longer) an organizer.
 */
import { error, redirect } from '@sveltejs/kit';
import type { ApiErrorBody, ApiErrorResponse } from '@colloquy/shared';

type Fetch = typeof globalThis.fetch;

/** The API's httpOnly session cookie (the pages only check that it is there, never read it). */
export const SESSION_COOKIE = 'colloquy_session';

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiErrorBody };

const UNREACHABLE: ApiErrorBody = {
  code: 'unavailable',
  message: 'The server could not be reached. Your changes were not saved; please try again.',
};

/**
 * Calls the API and never throws: a JSON body for success, the typed error otherwise. `body` is
 * sent as JSON, unless it is binary (a photo), which is sent as it is.
 */
export async function callApi<T>(
  fetch: Fetch,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  let res: Response;
  try {
    const binary = body instanceof Uint8Array || body instanceof ArrayBuffer;
    res = await fetch(path, {
      method,
      headers: binary || body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : binary ? (body as BodyInit) : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 503, error: UNREACHABLE };
  }
  if (res.ok) {
    const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    return { ok: true, status: res.status, data: data as T };
  }
  const parsed = (await res.json().catch(() => null)) as ApiErrorResponse | null;
  const err = parsed?.error ?? { code: 'internal', message: 'Something went wrong on our side.' };
  if (res.status === 429 && err.retryAfterMs === undefined) {
    const seconds = Number(res.headers.get('retry-after'));
    if (Number.isFinite(seconds) && seconds > 0) err.retryAfterMs = seconds * 1000;
  }
  return { ok: false, status: res.status, error: err };
}

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
