import type { Me } from '@colloquy/shared';
import { SESSION_COOKIE } from '#lib/admin/api.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, cookies, fetch, setHeaders }) => {
  // Forms must work without JavaScript. A browser posts a plain HTML form with `Origin: null`
  // when the page's referrer policy is `no-referrer` (helmet's default), and SvelteKit refuses
  // a form post whose Origin is not this site. `same-origin` still sends no referrer to any
  // other site.
  setHeaders({ 'referrer-policy': 'same-origin' });
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
