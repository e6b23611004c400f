import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';
import { parseSetCookie } from 'cookie';
import { isTimeZone } from '@colloquy/shared';

export const handle: Handle = async ({ event, resolve }) => {
  const tz = event.cookies.get('tz');
  event.locals.viewerZone = tz && isTimeZone(tz) ? tz : 'UTC';
  return resolve(event);
};

/**
 * Pages load data through the REST API. During server-side rendering and form actions,
 * same-origin `/api` calls go straight to this process over loopback (the origin comes from
 * Express as a request property, never from a header), with the visitor's cookies, and with a
 * per-process secret that lets the API believe the visitor's address we pass on (rate limits are
 * per person, not per renderer). Cookies the API sets (sign-in, join) are passed to the browser.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const ctx = event.platform?.req?.colloquy;
  const url = new URL(request.url);
  if (!ctx || url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);

  const headers = new Headers(request.headers);
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.set('cookie', cookie);
  headers.set('x-colloquy-internal', ctx.internalSecret);
  headers.set('x-colloquy-client-ip', ctx.clientIp);
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const response = await globalThis.fetch(ctx.apiOrigin + url.pathname + url.search, {
    method: request.method,
    headers,
    body,
    redirect: 'manual',
  });
  for (const line of response.headers.getSetCookie()) {
    const { name, value, ...options } = parseSetCookie(line);
    // `secure` only when the API asked for it (an https PUBLIC_URL); SvelteKit would default it on.
    event.cookies.set(name, value ?? '', { path: '/', secure: false, ...options });
  }
  return response;
};
