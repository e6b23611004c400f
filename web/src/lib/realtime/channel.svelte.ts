/**
 * One live feature of one event, kept in step with the server: it starts from a snapshot, applies
 * versioned deltas in order, and takes a fresh snapshot whenever it sees a gap that does not fill
 * within a moment, or after a reconnection the server could not recover. The state is a Svelte
 * `$state`, so components read it directly.
 */
import type { LiveChange, LiveDelta, LiveFeature, LiveSnapshot } from '@colloquy/shared';
import { liveSocket, request, type LiveSocket } from './socket.ts';

/** How a feature folds a snapshot and changes into the state its components read. */
export interface LiveReducer<S> {
  empty(): S;
  fromSnapshot(state: unknown): S;
  apply(state: S, change: LiveChange): void;
}

const GAP_GRACE_MS = 400;

export class LiveChannel<S> {
  state = $state() as S;
  version = $state(0);
  /** False until the first snapshot arrives, and while resyncing after a gap. */
  synced = $state(false);
  /** Snapshots taken so far (the first included); tests and diagnostics read it. */
  resyncs = $state(0);

  readonly slug: string;
  readonly feature: LiveFeature;
  private readonly reducer: LiveReducer<S>;
  private readonly socket: LiveSocket;
  private buffered: LiveDelta[] = [];
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private loading: Promise<void> | null = null;
  private closed = false;
  private readonly onDelta = (d: LiveDelta) => this.receive(d);
  private readonly onConnect = () => {
    // A recovered connection missed nothing; otherwise the room was rejoined and we resync.
    if (!this.socket.recovered) void this.resync();
  };

  constructor(slug: string, feature: LiveFeature, reducer: LiveReducer<S>, socket: LiveSocket = liveSocket()) {
    this.slug = slug;
    this.feature = feature;
    this.reducer = reducer;
    this.socket = socket;
    this.state = reducer.empty();
    socket.on('live:delta', this.onDelta);
    socket.on('connect', this.onConnect);
    if (socket.connected) void this.resync();
  }

  /** Takes a snapshot now (coalescing concurrent calls). */
  resync(): Promise<void> {
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<void> {
    this.synced = false;
    try {
      await request('event:subscribe', { slug: this.slug }, { socket: this.socket });
      const { data } = await request(
        'live:snapshot',
        { slug: this.slug, feature: this.feature },
        { socket: this.socket },
      );
      const snap = data as LiveSnapshot;
      if (this.closed) return;
      this.state = this.reducer.fromSnapshot(snap.state);
      this.version = snap.version;
      this.resyncs += 1;
      this.synced = true;
      this.drain();
    } catch {
      // Offline or refused: the next connect (or gap) tries again.
    }
  }

  private receive(d: LiveDelta): void {
    if (d.slug !== this.slug || d.feature !== this.feature) return;
    this.buffered.push(d);
    if (this.synced) this.drain();
  }

  /** Applies every buffered delta that continues our version; waits briefly on a gap, then resyncs. */
  private drain(): void {
    this.buffered.sort((a, b) => a.from - b.from);
    while (this.buffered.length > 0) {
      const d = this.buffered[0]!;
      if (d.to <= this.version) {
        this.buffered.shift(); // already in our state
        continue;
      }
      if (d.from > this.version + 1) break; // a gap
      this.buffered.shift();
      for (const c of d.changes) this.reducer.apply(this.state, c);
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

  close(): void {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.socket.off('live:delta', this.onDelta);
    this.socket.off('connect', this.onConnect);
  }
}

/** A reducer for the common shape: a record of entities of one kind, by id. */
export function byIdReducer<T>(kind: string): LiveReducer<Record<string, T>> {
  return {
    empty: () => ({}),
    fromSnapshot: (state) => ({ ...(state as Record<string, T>) }),
    apply(state, c) {
      if (c.kind !== kind) return;
      if (c.data === null) delete state[c.id];
      else state[c.id] = c.data as T;
    },
  };
}
