/**
 * A Q&A client for integration tests that keeps its state the way the browser does: it folds the
 * snapshot and every `live:delta` with the browser's own reducer (web/src/lib/qa/reducer.ts),
 * applies deltas in version order, and takes a new snapshot on a gap (like LiveChannel, whose
 * runes-based class cannot run outside Svelte's compiler).
 */
import crypto from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { AckResult, LiveDelta, LiveSnapshot } from '@colloquy/shared';
import { qaReducer, type QaView } from '../../web/src/lib/qa/reducer.ts';
import type { ClientSocket } from './sockets.ts';

const GAP_GRACE_MS = 400;

/** Emits any event with an ack, as a client (or a hostile one) could. */
export function emit<T = unknown>(s: ClientSocket, event: string, payload?: unknown, timeoutMs = 10_000) {
  return (s as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload) as Promise<AckResult<T>>;
}

/** A live write: adds a fresh op id unless one is given. */
export function write<T = unknown>(
  s: ClientSocket,
  event: string,
  payload: object,
  opId: string = crypto.randomUUID(),
) {
  return emit<T>(s, event, { ...payload, opId });
}

export class QaMirror {
  view: QaView = qaReducer.empty();
  version = 0;
  synced = false;
  resyncs = 0;
  deltas = 0;
  private buffered: LiveDelta[] = [];
  private gapTimer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  readonly socket: ClientSocket;
  readonly slug: string;

  constructor(socket: ClientSocket, slug: string) {
    this.socket = socket;
    this.slug = slug;
    socket.on('live:delta', (d) => this.receive(d));
  }

  /** Subscribes to the event's room and takes the first snapshot. */
  start(): Promise<void> {
    return this.resync();
  }

  resync(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<void> {
    this.synced = false;
    const sub = await emit(this.socket, 'event:subscribe', { slug: this.slug });
    if (!sub.ok) throw new Error(`subscribe refused: ${JSON.stringify(sub.error)}`);
    const snap = await emit<LiveSnapshot>(this.socket, 'live:snapshot', { slug: this.slug, feature: 'qa' });
    if (!snap.ok) throw new Error(`snapshot refused: ${JSON.stringify(snap.error)}`);
    this.view = qaReducer.fromSnapshot(snap.data.state);
    this.version = snap.data.version;
    this.resyncs += 1;
    this.synced = true;
    this.drain();
  }

  private receive(d: LiveDelta): void {
    if (d.slug !== this.slug || d.feature !== 'qa') return;
    this.deltas += 1;
    this.buffered.push(d);
    if (this.synced) this.drain();
  }

  private drain(): void {
    this.buffered.sort((a, b) => a.from - b.from);
    while (this.buffered.length > 0) {
      const d = this.buffered[0]!;
      if (d.to <= this.version) {
        this.buffered.shift();
        continue;
      }
      if (d.from > this.version + 1) break;
      this.buffered.shift();
      for (const c of d.changes) qaReducer.apply(this.view, c);
      this.version = d.to;
    }
    if (this.buffered.length === 0) {
      if (this.gapTimer) clearTimeout(this.gapTimer);
      this.gapTimer = null;
    } else {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = null;
        this.buffered = [];
        void this.resync();
      }, GAP_GRACE_MS);
    }
  }

  votes(id: string): number | undefined {
    return this.view.questions[id]?.votes;
  }

  close(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.socket.disconnect();
  }
}
