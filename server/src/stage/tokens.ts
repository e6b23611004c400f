/**
 * LiveKit access tokens with the least grants each role needs. Every grant is written out:
 * LiveKit treats an unset `canPublish` as allowed, and `canPublishData` follows it.
 */
import { AccessToken, TrackSource, type VideoGrant } from 'livekit-server-sdk';
import type { Role } from '@colloquy/shared';

export const TOKEN_TTL_SECONDS = 10 * 60;
export const roomName = (eventId: string) => `event-${eventId}`;
/** The event id of a LiveKit room we named, null for any other room. */
export const eventIdOfRoom = (room: string | undefined): string | null =>
  room?.startsWith('event-') ? room.slice('event-'.length) : null;

/** What a participant may publish: speakers and staff everything, a guest brought on stage camera and mic. */
export type PublishLevel = 'stage' | 'guest' | 'none';

export const PUBLISH_SOURCES: Record<PublishLevel, TrackSource[]> = {
  stage: [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
  guest: [TrackSource.CAMERA, TrackSource.MICROPHONE],
  none: [],
};

/** Speakers, moderators and organizers publish; the audience only when brought on stage. */
export const publishLevelFor = (role: Exclude<Role, 'visitor'>, onStage: boolean): PublishLevel =>
  role !== 'audience' ? 'stage' : onStage ? 'guest' : 'none';

export function grantsFor(role: Exclude<Role, 'visitor'>, room: string, onStage = false): VideoGrant {
  const level = publishLevelFor(role, onStage);
  return {
    room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: level !== 'none',
    canPublishSources: PUBLISH_SOURCES[level],
    // Chat, Q&A and reactions go through our server, never LiveKit data messages.
    canPublishData: false,
    canUpdateOwnMetadata: false,
    canSubscribeMetrics: false,
    hidden: false,
    recorder: false,
    agent: false,
    // Moderation (removing, muting) is done by our server's RoomServiceClient, not by clients.
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    roomRecord: false,
    ingressAdmin: false,
  };
}

export async function mintToken(o: {
  apiKey: string;
  apiSecret: string;
  role: Exclude<Role, 'visitor'>;
  eventId: string;
  identity: string;
  name: string;
  /** An audience member whose raised hand was invited on stage: camera and microphone. */
  onStage?: boolean;
}): Promise<{ token: string; room: string; expiresAt: string }> {
  const room = roomName(o.eventId);
  const at = new AccessToken(o.apiKey, o.apiSecret, { identity: o.identity, name: o.name, ttl: TOKEN_TTL_SECONDS });
  at.addGrant(grantsFor(o.role, room, o.onStage ?? false));
  return { token: await at.toJwt(), room, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000).toISOString() };
}

/**
 * The recorder's token (recording feature): a hidden subscriber marked as a recorder. It can
 * publish nothing, and other participants do not see it.
 */
export function recorderGrants(room: string): VideoGrant {
  return { ...grantsFor('audience', room), canPublish: false, canPublishSources: [], hidden: true, recorder: true };
}

export async function mintRecorderToken(o: {
  apiKey: string;
  apiSecret: string;
  eventId: string;
  identity: string;
  ttlSeconds?: number;
}): Promise<{ token: string; room: string }> {
  const room = roomName(o.eventId);
  // The recorder stays for the whole panel; the expiry only gates joining (and rejoining after a drop).
  const at = new AccessToken(o.apiKey, o.apiSecret, {
    identity: o.identity,
    name: 'Recorder',
    ttl: o.ttlSeconds ?? 6 * 3600,
  });
  at.addGrant(recorderGrants(room));
  return { token: await at.toJwt(), room };
}
