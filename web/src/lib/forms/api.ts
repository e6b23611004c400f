/**
 * Calls to the REST API from loads and form actions, through SvelteKit's `fetch` (which
 * hooks.server.ts sends over loopback with the visitor's cookies). Never throws: a failed call
 * comes back as the API's typed error, so a form can show it.
 */
import type { ApiErrorBody, ApiErrorResponse } from '@colloquy/shared';

export type Fetch = typeof globalThis.fetch;

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiErrorBody };

const UNREACHABLE: ApiErrorBody = {
  code: 'unavailable',
  message: 'The server could not be reached. Your changes were not saved; please try again.',
};

/**
 * A JSON body for success (undefined for 204), the typed error otherwise. `body` is sent as JSON,
 * unless it is binary (a photo), which is sent as it is. A 429 without `retryAfterMs` takes it
 * from the Retry-After header.
 */
export async function callApi<T>(
  fetch: Fetch,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
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
