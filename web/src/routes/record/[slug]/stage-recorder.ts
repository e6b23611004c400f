/**
 * The recorder page's engine. It joins the event's LiveKit room as a hidden subscriber, keeps a
 * playing <video> per subscribed camera or screen share, draws the stage onto the canvas at 15 fps
 * (compose.ts), and either
 *  - 'builtin': mixes every audio track with WebAudio and records canvas + mix with MediaRecorder
 *    (VP8/Opus WebM, 1 s chunks), uploading each chunk with its sequence number, in order, retried
 *    until acknowledged; or
 *  - 'egress': (opened by LiveKit Egress with `url` and `token`) plays the audio and lets Egress
 *    record the page, announcing START_RECORDING / END_RECORDING on the console as Egress expects.
 */
import { Room, RoomEvent, Track, type Participant, type RemoteTrack } from 'livekit-client';
import { RECORDER_CANVAS, RECORDING_LIMITS, type ApiErrorResponse, type RecorderSession } from '@colloquy/shared';
import { drawStage, type StageScene, type TileSource } from './compose.ts';

export type RecorderState = 'starting' | 'recording' | 'stopping' | 'stopped' | 'failed';

/** Read by the server's recorder driver (server/src/recording/recorder.ts). */
export interface RecorderStatus {
  state: RecorderState;
  segment: number | null;
  chunksSent: number;
  error: string | null;
}

export type RecorderMode = { kind: 'builtin'; token: string } | { kind: 'egress'; url: string; token: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class RecorderError extends Error {
  readonly fatal: boolean;
  constructor(message: string, fatal: boolean) {
    super(message);
    this.fatal = fatal;
  }
}

export class StageRecorder {
  readonly status: RecorderStatus = { state: 'starting', segment: null, chunksSent: 0, error: null };
  onChange: (s: RecorderStatus) => void = () => {};
  private readonly canvas: HTMLCanvasElement;
  private readonly media: HTMLElement;
  private readonly mode: RecorderMode;
  private title: string;
  private room: Room | null = null;
  private readonly videos = new Map<string, HTMLVideoElement>();
  private readonly audios = new Map<string, { el: HTMLMediaElement; node: MediaStreamAudioSourceNode | null }>();
  private audioCtx: AudioContext | null = null;
  private mix: MediaStreamAudioDestinationNode | null = null;
  private drawTimer: ReturnType<typeof setInterval> | null = null;
  private recorder: MediaRecorder | null = null;
  private session: RecorderSession | null = null;
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private announced = false;

  constructor(o: { canvas: HTMLCanvasElement; media: HTMLElement; mode: RecorderMode; title: string }) {
    this.canvas = o.canvas;
    this.media = o.media;
    this.mode = o.mode;
    this.title = o.title;
  }

  setTitle(title: string) {
    this.title = title;
  }

  private set(patch: Partial<RecorderStatus>) {
    Object.assign(this.status, patch);
    this.onChange({ ...this.status });
  }

  async start(): Promise<void> {
    try {
      let url: string;
      let token: string;
      if (this.mode.kind === 'builtin') {
        this.session = await this.openSession(this.mode.token);
        this.set({ segment: this.session.segment });
        ({ url, token } = this.session.livekit);
      } else {
        ({ url, token } = this.mode);
      }
      this.canvas.width = RECORDER_CANVAS.width;
      this.canvas.height = RECORDER_CANVAS.height;
      const ctx = this.canvas.getContext('2d', { alpha: false })!;
      this.drawTimer = setInterval(() => drawStage(ctx, this.scene()), 1000 / RECORDER_CANVAS.fps);
      if (this.mode.kind === 'builtin') this.startMediaRecorder();

      const room = new Room({ adaptiveStream: false, dynacast: false });
      this.room = room;
      room
        .on(RoomEvent.TrackSubscribed, (track) => this.attach(track))
        .on(RoomEvent.TrackUnsubscribed, (track) => this.detach(track))
        .on(RoomEvent.Disconnected, () => {
          if (this.mode.kind === 'egress') console.log('END_RECORDING');
        });
      await room.connect(url, token, { autoSubscribe: true });
      this.set({ state: 'recording' });
      if (this.mode.kind === 'egress' && !this.announced) {
        this.announced = true;
        console.log('START_RECORDING');
      }
    } catch (err) {
      this.fail(err);
    }
  }

  private async openSession(token: string): Promise<RecorderSession> {
    const res = await fetch('/api/recorder/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new RecorderError(await errorText(res), true);
    return (await res.json()) as RecorderSession;
  }

  private scene(): StageScene {
    const room = this.room;
    if (!room) return { title: this.title, tiles: [], screen: null };
    const tiles: TileSource[] = [];
    let screen: StageScene['screen'] = null;
    const people: Participant[] = [...room.remoteParticipants.values()];
    for (const p of people) {
      const cam = p.getTrackPublication(Track.Source.Camera);
      const mic = p.getTrackPublication(Track.Source.Microphone);
      const share = p.getTrackPublication(Track.Source.ScreenShare);
      const name = p.name || p.identity;
      if (share?.track && !share.isMuted) {
        const v = this.videos.get(share.track.sid ?? '');
        if (v && !screen) screen = { name, video: v };
      }
      // Only people on stage (publishing something) get a tile; the audience is never drawn.
      if (!cam && !mic && !share) continue;
      const camVideo = cam?.track && !cam.isMuted ? (this.videos.get(cam.track.sid ?? '') ?? null) : null;
      tiles.push({ key: p.identity, name, speaking: p.isSpeaking, camera: camVideo });
    }
    tiles.sort((a, b) => a.name.localeCompare(b.name));
    return { title: this.title, tiles, screen };
  }

  private attach(track: RemoteTrack) {
    const sid = track.sid ?? '';
    if (track.kind === Track.Kind.Video) {
      const el = track.attach() as HTMLVideoElement;
      el.muted = true;
      this.media.append(el);
      this.videos.set(sid, el);
      void el.play().catch(() => {});
    } else if (track.kind === Track.Kind.Audio) {
      const el = track.attach();
      this.media.append(el);
      let node: MediaStreamAudioSourceNode | null = null;
      if (this.mode.kind === 'builtin' && this.audioCtx && this.mix) {
        // Chromium delivers a remote track's samples to WebAudio only while a media element plays it too (muted).
        el.muted = true;
        node = this.audioCtx.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
        node.connect(this.mix);
      }
      this.audios.set(sid, { el, node });
      void el.play().catch(() => {});
    }
  }

  private detach(track: RemoteTrack) {
    const sid = track.sid ?? '';
    for (const el of track.detach()) el.remove();
    this.videos.delete(sid);
    const a = this.audios.get(sid);
    a?.node?.disconnect();
    this.audios.delete(sid);
  }

  private startMediaRecorder() {
    this.audioCtx = new AudioContext({ sampleRate: 48_000 });
    void this.audioCtx.resume();
    this.mix = this.audioCtx.createMediaStreamDestination();
    const video = this.canvas.captureStream(RECORDER_CANVAS.fps).getVideoTracks();
    const stream = new MediaStream([...video, ...this.mix.stream.getAudioTracks()]);
    const mimeType = MediaRecorder.isTypeSupported('video/webm;codecs=vp8,opus')
      ? 'video/webm;codecs=vp8,opus'
      : 'video/webm';
    const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_000_000, audioBitsPerSecond: 96_000 });
    this.recorder = rec;
    rec.ondataavailable = (e) => {
      if (e.data.size === 0) return;
      const seq = this.seq++;
      this.queue = this.queue.then(() => this.upload(seq, e.data));
    };
    rec.start(RECORDING_LIMITS.chunkMs);
  }

  /** Sends one chunk until acknowledged; gives up only on a refusal that retrying cannot change. */
  private async upload(seq: number, blob: Blob): Promise<void> {
    if (this.status.state === 'failed' || !this.session) return;
    const token = this.mode.kind === 'builtin' ? this.mode.token : '';
    let delay = 250;
    for (;;) {
      try {
        const res = await fetch(`/api/recorder/segments/${this.session.segment}/chunks/${seq}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'video/webm' },
          body: blob,
        });
        if (res.ok) {
          this.set({ chunksSent: this.status.chunksSent + 1 });
          return;
        }
        if (res.status !== 429 && res.status < 500) throw new RecorderError(await errorText(res), true);
      } catch (err) {
        if (err instanceof RecorderError) {
          // Not live any more, or superseded by a newer recorder: stop recording.
          this.fail(err);
          return;
        }
        // The server is away (restarting): keep the chunk and try again.
      }
      await sleep(delay);
      delay = Math.min(5000, delay * 2);
    }
  }

  private fail(err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    console.warn(`recorder: ${message}`);
    this.set({ state: 'failed', error: message });
    this.teardown();
  }

  /** Flushes the last chunk, waits for every upload, leaves the room. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.status.state !== 'failed') this.set({ state: 'stopping' });
    const rec = this.recorder;
    if (rec && rec.state !== 'inactive') {
      await new Promise<void>((resolve) => {
        rec.addEventListener('stop', () => resolve(), { once: true });
        rec.stop();
      });
    }
    await this.queue;
    this.teardown();
    if (this.status.state !== 'failed') this.set({ state: 'stopped' });
  }

  private teardown() {
    if (this.drawTimer) clearInterval(this.drawTimer);
    this.drawTimer = null;
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    void this.room?.disconnect();
    void this.audioCtx?.close().catch(() => {});
  }
}

async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as ApiErrorResponse | null;
  return body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
}
