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

const STAGE_SOURCES = [
  TrackSource.CAMERA,
  TrackSource.MICROPHONE,
  TrackSource.SCREEN_SHARE,
  TrackSource.SCREEN_SHARE_AUDIO,
];

export function grantsFor(role: Exclude<Role, 'visitor'>, room: string): VideoGrant {
  const onStage = role !== 'audience';
  return {
    room,
    roomJoin: true,
    canSubscribe: true,
    canPublish: onStage,
    canPublishSources: onStage ? STAGE_SOURCES : [],
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
}): Promise<{ token: string; room: string; expiresAt: string }> {
  const room = roomName(o.eventId);
  const at = new AccessToken(o.apiKey, o.apiSecret, { identity: o.identity, name: o.name, ttl: TOKEN_TTL_SECONDS });
  at.addGrant(grantsFor(o.role, room));
  return { token: await at.toJwt(), room, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000).toISOString() };
}
