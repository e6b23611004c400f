import type { Handle, HandleFetch } from '@sveltejs/kit';
import { isTimeZone } from '@colloquy/shared';

export const handle: Handle = async ({ event, resolve }) => {
  const tz = event.cookies.get('tz');
  event.locals.viewerZone = tz && isTimeZone(tz) ? tz : 'UTC';
  return resolve(event);
};

/**
 * Pages load data through the REST API. During server-side rendering, same-origin `/api` calls
 * go straight to this process over loopback (the origin comes from Express, not from a header),
 * carrying the visitor's cookies.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const apiOrigin = event.platform?.req?.colloquy?.apiOrigin;
  const url = new URL(request.url);
  if (apiOrigin && url.origin === event.url.origin && url.pathname.startsWith('/api/')) {
    const internal = new Request(apiOrigin + url.pathname + url.search, request);
    const cookie = event.request.headers.get('cookie');
    if (cookie) internal.headers.set('cookie', cookie);
    return globalThis.fetch(internal);
  }
  return fetch(request);
};
