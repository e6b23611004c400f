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
  // Stage: green room / live / end, and acting on participants (mute, invite on stage, remove…).
  'stage:lifecycle': STAFF,
  'stage:moderate': STAFF,
  // Raising a hand to be brought on stage: the audience (speakers are on stage already).
  'stage:hand': ['audience'],
  'attendance:read': ORGANIZER,
  // Q&A: participants ask and upvote; staff moderate (approve, dismiss, edit, merge, pin, answered, settings).
  'qa:ask': PARTICIPANTS,
  'qa:vote': PARTICIPANTS,
  'qa:moderate': STAFF,
  // Polls: staff prepare, launch, close and publish; participants vote.
  'polls:manage': STAFF,
  'polls:vote': PARTICIPANTS,
  // Chat: participants write and react; staff delete, mute, ban, slow mode, on/off.
  'chat:send': PARTICIPANTS,
  'chat:react': PARTICIPANTS,
  'chat:moderate': STAFF,
  // Moderation: participants report questions and messages; staff review reports; organizers edit the word filter.
  'moderation:report': PARTICIPANTS,
  'moderation:review': STAFF,
  'moderation:words': ORGANIZER,
  // Recording: the recorder is authenticated by its per-recording token in the handler, not by a session.
  'recording:record': EVERYONE,
  'recording:manage': ORGANIZER,
  'recording:read': EVERYONE,
  'catalogue:write': ORGANIZER,
  'invite:manage': ORGANIZER,
  'access:manage': ORGANIZER,
  'registration:read': ORGANIZER,
  // Transcripts: public once the event has ended (the handler checks); uploads and corrections.
  'transcript:read': EVERYONE,
  'transcript:manage': ORGANIZER,
  // Live captions: the last lines for a late joiner (the lines themselves go to the event room).
  'captions:read': PARTICIPANTS,
  'search:read': EVERYONE,
  // The past-event page's archive: public, once the event has ended (the handler checks).
  'archive:read': EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

export function can(role: Role, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(role);
}
