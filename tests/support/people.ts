/**
 * People for tests: real sessions in the app's Redis (as a login or a redeemed invite would make
 * them), with the role granted through the app's own stores.
 */
import type { Role } from '@colloquy/shared';
import { SESSION_COOKIE } from '@colloquy/shared';
import type { TestApp } from './app.ts';

export interface Person {
  role: Role;
  userId: string | null;
  /** Cookie header value, empty for a visitor. */
  cookie: string;
}

let organizerCount = 0;

/** A person with `role` on the event `eventId`. */
export async function personWith(t: TestApp, role: Role, eventId: string, name = `${role} person`): Promise<Person> {
  const { auth } = t.app;
  if (role === 'visitor') return { role, userId: null, cookie: '' };
  if (role === 'organizer') {
    const email = `organizer${++organizerCount}-${Date.now()}@example.org`;
    const user = await auth.organizers.create(email, 'Org', 'correct horse battery');
    const { token } = await auth.sessions.create({ userId: user!.id, kind: 'organizer', displayName: 'Org' });
    return { role, userId: user!.id, cookie: `${SESSION_COOKIE}=${token}` };
  }
  const { token, session } = await auth.sessions.create({ kind: 'guest', displayName: name });
  await auth.roles.grant(eventId, session.userId, role);
  return { role, userId: session.userId, cookie: `${SESSION_COOKIE}=${token}` };
}

/** The session token from a response's Set-Cookie, as a Cookie header value. */
export function cookieFrom(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return set ? set.split(';')[0]! : '';
}

export async function api(
  t: TestApp,
  method: string,
  path: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  return fetch(t.url + path, { method: method.toUpperCase(), headers, body, redirect: 'manual' });
}

/** Creates an event through the store (status and dates chosen by the test). */
export async function makeEvent(t: TestApp, slug: string, status: 'scheduled' | 'live' | 'ended' = 'live') {
  return t.app.catalogue.store.putEvent(
    {
      slug,
      title: `Test ${slug}`,
      description: 'A test event',
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      timeZone: 'Africa/Nairobi',
      status,
      seriesId: null,
      speakerIds: [],
      location: 'Online',
    },
    'organizer',
  );
}
