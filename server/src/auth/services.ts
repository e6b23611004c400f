import type { Request } from 'express';
import type { Redis } from '../store/redis.ts';
import { SocketKicker } from '../realtime/kick.ts';
import { OrganizerStore } from './users.ts';
import { SessionStore } from './sessions.ts';
import { EventRoleStore } from './roles.ts';
import { Principals } from './principal.ts';
import { createRateLimits, type RateLimits } from './ratelimit.ts';

/** Everything identity-related, built once per app and handed to the features that need it. */
export interface Auth {
  organizers: OrganizerStore;
  sessions: SessionStore;
  roles: EventRoleStore;
  principals: Principals;
  limits: RateLimits;
  kicker: SocketKicker;
  /** Secure cookies when the public URL is https. */
  secureCookies: boolean;
  /** The caller's address (see http/client.ts). */
  ip(req: Request): string;
  /** Signs invite and join tokens. */
  secret: string;
}

export function createAuth(
  redis: Redis,
  opts: { publicUrl: string; secret: string; ip: (req: Request) => string },
): Auth {
  const organizers = new OrganizerStore(redis);
  const sessions = new SessionStore(redis);
  const roles = new EventRoleStore(redis);
  return {
    organizers,
    sessions,
    roles,
    principals: new Principals({ sessions, organizers, roles }),
    limits: createRateLimits(redis),
    kicker: new SocketKicker(),
    secureCookies: opts.publicUrl.startsWith('https:'),
    ip: opts.ip,
    secret: opts.secret,
  };
}
