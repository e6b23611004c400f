/**
 * The LiveKit side of the stage: one `Room` (adaptive stream and dynacast on), what Svelte shows
 * of it (tiles, audio tracks, connection state and quality), and staying connected. livekit-client
 * resumes or restarts the connection by itself after a network drop; if the room is lost anyway
 * while we still want to be in it, we fetch a fresh token and join again, with a growing delay.
 *
 * The lists are `$state.raw` snapshots rebuilt from the Room on its events: LiveKit's objects are
 * never wrapped in Svelte proxies.
 */
import {
  ConnectionQuality,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
  type Participant,
  type RemoteTrackPublication,
} from 'livekit-client';
import { fetchToken, TokenError } from './token.ts';
import { roomViews, type AudioView, type TileView } from './views.ts';

export type { AudioView, TileView };

export type RoomStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface StageRoomOptions {
  slug: string;
  /** Who gets a tile: everyone allowed to publish (backstage) or only people publishing something (the stage). */
  tiles: 'can-publish' | 'publishing';
  /** Start in audio-only mode (no video subscriptions). */
  audioOnly?: boolean;
}

/** What to publish (camera, microphone, which devices), kept across rejoins. */
export interface DeviceChoice {
  camera: boolean;
  mic: boolean;
  cameraId?: string | undefined;
  micId?: string | undefined;
}

const MAX_RETRY_MS = 10_000;

export class StageRoom {
  status = $state<RoomStatus>('idle');
  tiles = $state.raw<TileView[]>([]);
  audio = $state.raw<AudioView[]>([]);
  /** Others in the room who neither publish nor may publish: the audience watching. */
  listeners = $state(0);
  /** Our own connection quality, as LiveKit rates it. */
  quality = $state<ConnectionQuality>(ConnectionQuality.Unknown);
  /** False when the browser blocked audio until the person interacts (see startAudio). */
  canPlayAudio = $state(true);
  audioOnly = $state(false);
  /** Whether LiveKit currently lets us publish. */
  canPublish = $state(false);
  /** Set when we are out for good: a moderator removed us, or we joined from another tab. */
  ended = $state<'removed' | 'duplicate' | null>(null);
  /** Why the last attempt to join failed (shown while retrying), null when fine. */
  error = $state<string | null>(null);
  /** Successful joins, rejoins included. */
  joins = $state(0);

  readonly slug: string;
  private readonly tileMode: StageRoomOptions['tiles'];
  #room: Room | null = null;
  #want = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  #publishing: DeviceChoice = { camera: false, mic: false };

  constructor(opts: StageRoomOptions) {
    this.slug = opts.slug;
    this.tileMode = opts.tiles;
    this.audioOnly = opts.audioOnly ?? false;
  }

  /** The current Room, when connected (for tests and diagnostics). */
  get room(): Room | null {
    return this.#room;
  }

  get localIdentity(): string | null {
    return this.#room?.localParticipant.identity ?? null;
  }

  /** Joins (if not already in) and stays in until `stop()`. */
  start(): void {
    if (this.#want) return;
    this.#want = true;
    this.ended = null;
    this.#attempt = 0;
    void this.#join();
  }

  /** Leaves the room and stops any camera and microphone. */
  async stop(): Promise<void> {
    this.#want = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const room = this.#room;
    this.#room = null;
    if (room) {
      await this.#stopLocalTracks(room);
      await room.disconnect();
    }
    this.status = 'idle';
    this.refresh();
  }

  /** Plays audio the browser blocked (call from a click). */
  async startAudio(): Promise<void> {
    await this.#room?.startAudio();
    this.canPlayAudio = this.#room?.canPlaybackAudio ?? true;
  }

  /** Audio only: unsubscribe from every video track (and subscribe again when turned off). */
  setAudioOnly(on: boolean): void {
    this.audioOnly = on;
    this.#applySubscriptions();
    this.queueRefresh();
  }

  /** Publishes camera and/or microphone now and after every rejoin. */
  async publish(p: DeviceChoice): Promise<void> {
    this.#publishing = { ...p };
    await this.#applyPublishing();
  }

  /** Stops publishing everything (and the devices), now and after rejoins. */
  async unpublishAll(): Promise<void> {
    this.#publishing = { camera: false, mic: false };
    const room = this.#room;
    if (room) await this.#stopLocalTracks(room);
    this.refresh();
  }

  async setMic(on: boolean): Promise<void> {
    this.#publishing.mic = on;
    await this.#room?.localParticipant.setMicrophoneEnabled(
      on,
      this.#publishing.micId ? { deviceId: this.#publishing.micId } : undefined,
    );
    this.refresh();
  }

  async setCamera(on: boolean): Promise<void> {
    this.#publishing.camera = on;
    await this.#room?.localParticipant.setCameraEnabled(
      on,
      this.#publishing.cameraId ? { deviceId: this.#publishing.cameraId } : undefined,
    );
    this.refresh();
  }

  async setScreenShare(on: boolean): Promise<void> {
    await this.#room?.localParticipant.setScreenShareEnabled(on, { audio: false });
    this.refresh();
  }

  get micOn(): boolean {
    return this.#publishing.mic;
  }
  get cameraOn(): boolean {
    return this.#publishing.camera;
  }

  async #join(): Promise<void> {
    if (!this.#want || this.#room) return;
    this.status = this.joins > 0 ? 'reconnecting' : 'connecting';
    let token;
    try {
      token = await fetchToken(this.slug);
    } catch (err) {
      this.error = err instanceof TokenError ? err.message : 'We could not get you onto the stage.';
      this.#retryLater();
      return;
    }
    if (!this.#want || this.#room) return;
    const room = new Room({
      adaptiveStream: true,
      dynacast: true,
      disconnectOnPageLeave: true,
      stopLocalTrackOnUnpublish: true,
      videoCaptureDefaults: { resolution: VideoPresets.h540.resolution },
      publishDefaults: { simulcast: true, videoSimulcastLayers: [VideoPresets.h180, VideoPresets.h360] },
    });
    this.#room = room;
    this.#wire(room);
    try {
      await room.connect(token.url, token.token, { autoSubscribe: !this.audioOnly });
    } catch {
      room.removeAllListeners();
      if (this.#room === room) this.#room = null;
      await room.disconnect().catch(() => {});
      if (!this.#want) return;
      this.error = 'We could not connect to the stage. Trying again…';
      this.#retryLater();
      return;
    }
    if (this.#room !== room) return;
    this.#attempt = 0;
    this.error = null;
    this.joins += 1;
    this.status = 'connected';
    this.canPlayAudio = room.canPlaybackAudio;
    this.canPublish = room.localParticipant.permissions?.canPublish ?? false;
    this.#applySubscriptions();
    this.refresh();
    await this.#applyPublishing();
  }

  #retryLater(minMs = 0): void {
    if (!this.#want || this.#timer) return;
    const delay = Math.max(minMs, Math.min(MAX_RETRY_MS, 1000 * 2 ** this.#attempt));
    this.#attempt += 1;
    this.status = 'reconnecting';
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#join();
    }, delay);
  }

  #wire(room: Room): void {
    const mine = () => this.#room === room;
    const refresh = () => {
      if (mine()) this.queueRefresh();
    };
    room
      .on(RoomEvent.Reconnecting, () => {
        if (mine()) this.status = 'reconnecting';
      })
      .on(RoomEvent.Reconnected, () => {
        if (mine()) this.status = 'connected';
        refresh();
      })
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (!mine()) return;
        this.#room = null;
        this.status = 'disconnected';
        this.refresh();
        if (reason === DisconnectReason.PARTICIPANT_REMOVED) {
          this.ended = 'removed';
          this.#want = false;
        } else if (reason === DisconnectReason.DUPLICATE_IDENTITY) {
          this.ended = 'duplicate';
          this.#want = false;
        } else if (reason !== DisconnectReason.CLIENT_INITIATED) {
          // A lost connection (or a closed room) while we still want to be in: join again with a new token.
          // A deleted room usually means the event ended; the phase change normally stops us first.
          this.#retryLater(reason === DisconnectReason.ROOM_DELETED ? 3000 : 0);
        }
      })
      .on(RoomEvent.TrackPublished, (pub: RemoteTrackPublication) => {
        if (!mine()) return;
        const want = this.#desired(pub);
        if (pub.isDesired !== want) pub.setSubscribed(want);
        this.queueRefresh();
      })
      .on(RoomEvent.ConnectionQualityChanged, (q: ConnectionQuality, p: Participant) => {
        if (mine() && p.isLocal) this.quality = q;
        refresh();
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => {
        if (mine()) this.canPlayAudio = room.canPlaybackAudio;
      })
      .on(RoomEvent.ParticipantPermissionsChanged, (_prev: unknown, p: Participant) => {
        if (mine() && p.isLocal) this.canPublish = p.permissions?.canPublish ?? false;
        refresh();
      });
    for (const e of [
      RoomEvent.ParticipantConnected,
      RoomEvent.ParticipantDisconnected,
      RoomEvent.TrackSubscribed,
      RoomEvent.TrackUnsubscribed,
      RoomEvent.TrackUnpublished,
      RoomEvent.TrackMuted,
      RoomEvent.TrackUnmuted,
      RoomEvent.LocalTrackPublished,
      RoomEvent.LocalTrackUnpublished,
      RoomEvent.ActiveSpeakersChanged,
      RoomEvent.ParticipantNameChanged,
      RoomEvent.ParticipantAttributesChanged,
    ] as const) {
      room.on(e, refresh);
    }
  }

  #desired(pub: RemoteTrackPublication): boolean {
    return pub.kind !== Track.Kind.Video || !this.audioOnly;
  }

  #applySubscriptions(): void {
    const room = this.#room;
    if (!room) return;
    for (const p of room.remoteParticipants.values()) {
      for (const pub of p.trackPublications.values()) {
        const want = this.#desired(pub);
        if (pub.isDesired !== want) pub.setSubscribed(want);
      }
    }
  }

  async #applyPublishing(): Promise<void> {
    const room = this.#room;
    if (!room || room.state !== 'connected') return;
    const p = this.#publishing;
    const lp = room.localParticipant;
    if (p.camera || lp.isCameraEnabled)
      await lp.setCameraEnabled(p.camera, p.cameraId ? { deviceId: p.cameraId } : undefined);
    if (p.mic || lp.isMicrophoneEnabled)
      await lp.setMicrophoneEnabled(p.mic, p.micId ? { deviceId: p.micId } : undefined);
    this.refresh();
  }

  async #stopLocalTracks(room: Room): Promise<void> {
    const lp = room.localParticipant;
    const tracks = [...lp.trackPublications.values()].flatMap((pub) => (pub.track ? [pub.track] : []));
    for (const t of tracks) await lp.unpublishTrack(t, true).catch(() => {});
  }

  /** Rebuilds the views soon (events come in bursts). */
  queueRefresh(): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.refresh();
    }, 30);
  }

  /** Rebuilds the tiles, audio list and counts from the Room now. */
  refresh(): void {
    const room = this.#room;
    const v = room ? roomViews(room, this.tileMode) : { tiles: [], audio: [], listeners: 0 };
    this.tiles = v.tiles;
    this.audio = v.audio;
    this.listeners = v.listeners;
    if (room) this.quality = room.localParticipant.connectionQuality;
  }
}
