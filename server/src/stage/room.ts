/**
 * Our server's side of moderating a LiveKit room (RoomServiceClient): permissions, muting,
 * removing, closing. Clients never get roomAdmin; everything goes through here.
 */
import { RoomServiceClient, TrackSource, type ParticipantInfo, type ParticipantPermission } from 'livekit-server-sdk';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import { PUBLISH_SOURCES, type PublishLevel } from './tokens.ts';

/** Every field written out: LiveKit replaces the whole permission at once. */
export function permissionFor(level: PublishLevel, sources = PUBLISH_SOURCES[level]): Partial<ParticipantPermission> {
  return {
    canSubscribe: true,
    canPublish: level !== 'none',
    canPublishSources: level === 'none' ? [] : sources,
    canPublishData: false,
    canUpdateMetadata: false,
    canSubscribeMetrics: false,
    hidden: false,
    recorder: false,
    agent: false,
  };
}

/** LiveKit's "no such participant / room" answers (a Twirp not_found), as opposed to a failure. */
export function isNotFound(err: unknown): boolean {
  const e = err as { status?: number; code?: string; message?: string } | null;
  return e?.status === 404 || e?.code === 'not_found' || /not found|does not exist/i.test(String(e?.message ?? ''));
}

export class StageRoom {
  readonly client: RoomServiceClient;
  constructor(livekit: LivekitCredentials) {
    this.client = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  }

  /** The participant, or null when they are not in the room (or the room does not exist). */
  async participant(room: string, identity: string): Promise<ParticipantInfo | null> {
    try {
      return await this.client.getParticipant(room, identity);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Everyone in the room, or null when LiveKit has no such room (nobody is in it). Throws on a failure. */
  async list(room: string): Promise<ParticipantInfo[] | null> {
    try {
      return await this.client.listParticipants(room);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Sets what they may publish; false when they are not in the room. */
  async setPublish(room: string, identity: string, level: PublishLevel): Promise<boolean> {
    try {
      await this.client.updateParticipant(room, identity, { permission: permissionFor(level) });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Stops a screen share: livekit-server removes every published track whose source the new
   * permission no longer allows, at once, for every subscriber. The permission is then given back,
   * so the speaker may share again deliberately (the stopped track stays unpublished).
   */
  async stopScreenShare(room: string, identity: string, level: PublishLevel): Promise<void> {
    const without = PUBLISH_SOURCES[level].filter(
      (s) => s !== TrackSource.SCREEN_SHARE && s !== TrackSource.SCREEN_SHARE_AUDIO,
    );
    await this.client.updateParticipant(room, identity, { permission: permissionFor(level, without) });
    await this.client.updateParticipant(room, identity, { permission: permissionFor(level) });
  }

  async mute(room: string, identity: string, trackSid: string): Promise<void> {
    await this.client.mutePublishedTrack(room, identity, trackSid, true);
  }

  async remove(room: string, identity: string): Promise<void> {
    await this.client.removeParticipant(room, identity);
  }

  /** Closes the room: everyone in it is disconnected. A room that is not there is fine. */
  async close(room: string): Promise<void> {
    try {
      await this.client.deleteRoom(room);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
