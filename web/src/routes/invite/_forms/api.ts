/**
 * Form actions call the REST API through SvelteKit's `fetch` (routed over loopback with the
 * visitor's cookies by hooks.server.ts) and turn its typed errors into what a form shows: one
 * message per field, keyed by the input's name, and a message for the whole form.
 *
 * Shared by the invite, join and event-admin pages (a candidate for `#lib/` once it has more users).
 */
import { error, redirect } from '@sveltejs/kit';
import type { ApiErrorBody, Me } from '@colloquy/shared';

type Fetch = typeof globalThis.fetch;

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiErrorBody };

const UNREACHABLE: ApiErrorBody = {
  code: 'unavailable',
  message: 'The server is not reachable right now. Please try again in a moment.',
};

/** Calls the API with an optional JSON body; never throws for an HTTP error or a network failure. */
export async function callApi<T>(fetch: Fetch, method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 503, error: UNREACHABLE };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, status: res.status, data: json as T };
  const error = (json as { error?: ApiErrorBody } | null)?.error;
  return { ok: false, status: res.status, error: error ?? UNREACHABLE };
}

/** The values a form sends back so the page can keep what the person typed. */
export type FormValues = Record<string, string>;

/** What a failed form action returns: the input, field messages by input name, and a form-level message. */
export interface FormProblem {
  values: FormValues;
  errors: Record<string, string>;
  message: string;
}

/**
 * Field messages for an API validation error: for each issue whose first path segment is a
 * field we show, our own wording for that field (the API's wording is for developers).
 */
export function fieldErrors(error: ApiErrorBody, wording: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues ?? []) {
    const field = issue.path[0];
    if (typeof field === 'string' && wording[field] && !out[field]) out[field] = wording[field];
  }
  return out;
}

/** A sentence for the top of a form, from an API error that is not about one field. */
export function formMessage(error: ApiErrorBody): string {
  if (error.code === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
    return `Too many attempts from your network. Please wait ${seconds} seconds and try again.`;
  }
  if (error.code === 'validation_failed') return 'Some answers need another look. Check the fields marked below.';
  if (error.code === 'unavailable' || error.code === 'internal') return UNREACHABLE.message;
  return error.message.endsWith('.') ? error.message : `${error.message}.`;
}

/** The text of each named field of a submitted form (missing fields are empty strings). */
export function textFields(data: FormData, names: readonly string[]): FormValues {
  const out: FormValues = {};
  for (const name of names) {
    const v = data.get(name);
    out[name] = typeof v === 'string' ? v : '';
  }
  return out;
}

/** Where an organizer-only page sends someone who is not signed in as an organizer. */
export function loginRedirect(url: URL): never {
  redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** Admin pages check for themselves that the viewer is an organizer (the admin layout may also). */
export async function requireOrganizer(fetch: Fetch, url: URL): Promise<NonNullable<Me['user']>> {
  const me = await callApi<Me>(fetch, 'GET', '/api/auth/me');
  if (!me.ok) {
    if (me.status === 401 || me.status === 403) loginRedirect(url);
    error(503, UNREACHABLE.message);
  }
  if (me.data.user?.kind !== 'organizer') loginRedirect(url);
  return me.data.user;
}
