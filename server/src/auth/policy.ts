/**
 * The one authorization table. Every REST route and socket event names an action; whether a
 * role may do it is decided here and nowhere else, from server-side state only.
 */
import type { Role } from '@colloquy/shared';

const EVERYONE: readonly Role[] = ['visitor', 'audience', 'speaker', 'moderator', 'organizer'];
const PARTICIPANTS: readonly Role[] = ['audience', 'speaker', 'moderator', 'organizer'];
const STAFF: readonly Role[] = ['moderator', 'organizer'];
const ORGANIZER: readonly Role[] = ['organizer'];

export const POLICY = {
  'health:read': EVERYONE,
  'catalogue:read': EVERYONE,
  'auth:login': EVERYONE,
  'auth:me': EVERYONE,
  'auth:logout': EVERYONE,
  'auth:password': ORGANIZER,
  'auth:logout-all': ORGANIZER,
  'invite:preview': EVERYONE,
  'invite:redeem': EVERYONE,
  'event:role': EVERYONE,
  'event:join': EVERYONE,
  'event:subscribe': EVERYONE,
  'session:whoami': EVERYONE,
  // Authenticated by LiveKit's signature, not by a session: the handler refuses anything unsigned.
  'webhook:livekit': EVERYONE,
  'livekit:token': PARTICIPANTS,
  // Live features (stage, Q&A, polls, chat): reading their state.
  'live:read': PARTICIPANTS,
  'participant:ban': STAFF,
  'catalogue:write': ORGANIZER,
  'invite:manage': ORGANIZER,
  'access:manage': ORGANIZER,
  'registration:read': ORGANIZER,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

export function can(role: Role, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(role);
}
