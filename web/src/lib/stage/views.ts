/**
 * What the stage shows of a LiveKit room at one moment: a tile per person who gets one, the remote
 * audio tracks to play, and how many others are only listening. Pure: built from the Room's
 * participants on every room event (see room.svelte.ts).
 */
import {
  Track,
  type AudioTrack,
  type ConnectionQuality,
  type Participant,
  type Room,
  type VideoTrack,
} from 'livekit-client';

export interface TileView {
  identity: string;
  name: string;
  isLocal: boolean;
  speaking: boolean;
  /** They publish a microphone. */
  hasMic: boolean;
  /** No microphone, or it is muted. */
  micMuted: boolean;
  /** Their camera track when it is published, unmuted and (for others) subscribed. */
  camera: VideoTrack | null;
  cameraOn: boolean;
  screen: VideoTrack | null;
  sharing: boolean;
  /** LiveKit says they may publish (speakers, moderators, someone brought on stage). */
  canPublish: boolean;
  quality: ConnectionQuality;
  attributes: Record<string, string>;
}

export interface AudioView {
  key: string;
  identity: string;
  track: AudioTrack;
}

/** Who gets a tile: everyone allowed to publish (backstage) or only people publishing something (the stage). */
export type TileMode = 'can-publish' | 'publishing';

export function roomViews(room: Room, mode: TileMode): { tiles: TileView[]; audio: AudioView[]; listeners: number } {
  const tiles: TileView[] = [];
  const audio: AudioView[] = [];
  let listeners = 0;
  const people: Participant[] = [room.localParticipant, ...room.remoteParticipants.values()];
  for (const p of people) {
    const cam = p.getTrackPublication(Track.Source.Camera);
    const mic = p.getTrackPublication(Track.Source.Microphone);
    const screen = p.getTrackPublication(Track.Source.ScreenShare);
    const canPublish = p.permissions?.canPublish ?? false;
    const publishing = Boolean(cam || mic || screen);
    if (!p.isLocal) {
      for (const pub of p.audioTrackPublications.values()) {
        if (pub.track && pub.isSubscribed)
          audio.push({ key: pub.trackSid, identity: p.identity, track: pub.track as AudioTrack });
      }
    }
    const shown = mode === 'can-publish' ? canPublish || publishing : publishing;
    if (!shown) {
      if (!p.isLocal) listeners += 1;
      continue;
    }
    tiles.push({
      identity: p.identity,
      name: p.name || p.identity,
      isLocal: p.isLocal,
      speaking: p.isSpeaking,
      hasMic: Boolean(mic),
      micMuted: !mic || mic.isMuted,
      camera: cam && !cam.isMuted && cam.track ? (cam.track as VideoTrack) : null,
      cameraOn: Boolean(cam && !cam.isMuted),
      screen: screen && !screen.isMuted && screen.track ? (screen.track as VideoTrack) : null,
      sharing: Boolean(screen),
      canPublish,
      quality: p.connectionQuality,
      attributes: { ...p.attributes },
    });
  }
  return { tiles, audio, listeners };
}
