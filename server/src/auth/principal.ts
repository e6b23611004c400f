/**
 * Resolves who is calling (from the session cookie) and what role they hold on an event.
 * Nothing here reads a role from a request body.
 */
import { parseCookie } from 'cookie';
import { SESSION_COOKIE, type Role } from '@colloquy/shared';
import type { Session, SessionStore } from './sessions.ts';
import type { EventRoleStore } from './roles.ts';
import type { OrganizerStore } from './users.ts';

export interface Principal {
  session: Session;
  userId: string;
  kind: 'organizer' | 'guest';
  displayName: string;
}

export class Principals {
  private readonly sessions: SessionStore;
  private readonly organizers: OrganizerStore;
  private readonly roles: EventRoleStore;

  constructor(deps: { sessions: SessionStore; organizers: OrganizerStore; roles: EventRoleStore }) {
    this.sessions = deps.sessions;
    this.organizers = deps.organizers;
    this.roles = deps.roles;
  }

  /** The caller of an HTTP request or socket handshake, from its session cookie (null when anonymous). */
  async fromCookieHeader(header: string | undefined): Promise<Principal | null> {
    const session = await this.sessions.fromToken(parseCookie(header ?? '')[SESSION_COOKIE]);
    if (!session) return null;
    // An organizer session is only worth something while the account exists.
    if (session.kind === 'organizer' && !(await this.organizers.get(session.userId))) return null;
    return { session, userId: session.userId, kind: session.kind, displayName: session.displayName };
  }

  /** The caller's role on an event (or across the catalogue when eventId is null). */
  async roleFor(principal: Principal | null, eventId: string | null): Promise<{ role: Role; banned: boolean }> {
    if (!principal) return { role: 'visitor', banned: false };
    if (principal.kind === 'organizer') return { role: 'organizer', banned: false };
    if (!eventId) return { role: 'visitor', banned: false };
    // Both in one round trip (node-redis pipelines commands sent in the same tick).
    const [banned, role] = await Promise.all([
      this.roles.isBanned(eventId, principal.userId),
      this.roles.get(eventId, principal.userId),
    ]);
    return banned ? { role: 'visitor', banned: true } : { role: role ?? 'visitor', banned: false };
  }
}
