import { SESSION_COOKIE, type Me } from '@colloquy/shared';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies, fetch }) => {
  let user: Me['user'] = null;
  // Without a session cookie nobody is signed in: no need to ask the API.
  if (cookies.get(SESSION_COOKIE)) {
    try {
      const res = await fetch('/api/auth/me');
      if (res.ok) user = ((await res.json()) as Me).user;
    } catch {
      // The API is unreachable: show the page as to a visitor; admin pages send them to sign in.
    }
  }
  return {
    viewerZone: locals.viewerZone,
    zoneKnown: cookies.get('tz') === locals.viewerZone,
    renderedAt: Date.now(),
    user,
  };
};
