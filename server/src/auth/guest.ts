import type { Response } from 'express';
import { removedFromEvent } from '../http/errors.ts';
import { setSessionCookie } from './cookies.ts';
import type { Principal } from './principal.ts';
import type { Auth } from './services.ts';

/**
 * The caller's principal, creating a guest session (and its cookie) for a browser that has none.
 * A guest who gives a new display name is renamed; an organizer keeps their account name.
 */
export async function ensureGuest(
  auth: Auth,
  res: Response,
  principal: Principal | null,
  displayName: string,
): Promise<Principal> {
  if (principal) {
    if (principal.kind === 'guest' && principal.displayName !== displayName) {
      const session = await auth.sessions.rename(principal.session, displayName);
      return { ...principal, session, displayName };
    }
    return principal;
  }
  const { token, session } = await auth.sessions.create({ kind: 'guest', displayName });
  setSessionCookie(res, token, auth.secureCookies);
  return { session, userId: session.userId, kind: 'guest', displayName };
}

/** For doors whose event is not in the path (invites): a banned person cannot come back. */
export async function refuseBanned(auth: Auth, eventId: string, principal: Principal | null): Promise<void> {
  if (principal && (await auth.roles.isBanned(eventId, principal.userId))) throw removedFromEvent();
}
