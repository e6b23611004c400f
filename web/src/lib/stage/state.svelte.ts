/**
 * The stage's live state in the browser: the `stage` feature of the live protocol (lifecycle,
 * spotlight, audience count, and for staff the raised hands), folded by `stageReducer`, and the
 * viewer's own situation (`stage:you`: their hand, whether they may publish).
 */
import type { EventStatus, LiveChange, StageHand, StagePhase, StageState, StageYou } from '@colloquy/shared';
import { LiveChannel, type LiveReducer } from '#lib/realtime/channel.svelte.ts';
import { liveSocket, type LiveSocket } from '#lib/realtime/socket.ts';

export function emptyStage(phase: StagePhase = 'scheduled'): StageState {
  return {
    lifecycle: { phase, greenroomAt: null, liveAt: null, endedAt: null },
    spotlight: { identity: null },
    audience: { now: 0, peak: 0 },
    hands: {},
    myHand: null,
  };
}

/** The phase to show before the first snapshot, from the catalogue's status. */
export function phaseFromStatus(status: EventStatus): StagePhase {
  return status === 'live' ? 'live' : status === 'ended' ? 'ended' : 'scheduled';
}

/** Folds a snapshot and the changes `lifecycle`, `spotlight`, `audience` (id `main`) and `hand` (id = user id). */
export function stageReducer(initial: StagePhase = 'scheduled'): LiveReducer<StageState> {
  return {
    empty: () => emptyStage(initial),
    fromSnapshot(raw) {
      const s = (raw ?? {}) as Partial<StageState>;
      const base = emptyStage(initial);
      return {
        lifecycle: s.lifecycle ?? base.lifecycle,
        spotlight: s.spotlight ?? base.spotlight,
        audience: s.audience ?? base.audience,
        hands: { ...(s.hands ?? {}) },
        myHand: s.myHand ?? null,
      };
    },
    apply(state, c: LiveChange) {
      switch (c.kind) {
        case 'lifecycle':
          if (c.data) state.lifecycle = c.data as StageState['lifecycle'];
          break;
        case 'spotlight':
          state.spotlight = (c.data as StageState['spotlight'] | null) ?? { identity: null };
          break;
        case 'audience':
          if (c.data) state.audience = c.data as StageState['audience'];
          break;
        case 'hand':
          if (c.data === null) delete state.hands[c.id];
          else state.hands[c.id] = c.data as StageHand;
          if (state.myHand && state.myHand.userId === c.id) state.myHand = (c.data as StageHand | null) ?? null;
          break;
      }
    },
  };
}

/** True when a hand's state means our server has granted publish permission. */
export const handCanPublish = (hand: StageHand | null | undefined) => hand?.state === 'onstage';

/**
 * The stage of one event for this viewer: the live channel plus what `stage:you` says about
 * them. Only made in the browser (it opens the socket).
 */
export class Stage {
  readonly channel: LiveChannel<StageState>;
  /** The last `stage:you`, with the snapshot count when it came: a later snapshot (with myHand) wins. */
  #you = $state.raw<{ you: StageYou; resyncs: number } | null>(null);
  private readonly socket: LiveSocket;
  private readonly onYou = (you: StageYou) => {
    if (you.slug === this.channel.slug) this.#you = { you, resyncs: this.channel.resyncs };
  };

  constructor(slug: string, initial: StagePhase, socket: LiveSocket = liveSocket()) {
    this.socket = socket;
    this.channel = new LiveChannel(slug, 'stage', stageReducer(initial), socket);
    socket.on('stage:you', this.onYou);
  }

  get state(): StageState {
    return this.channel.state;
  }
  get synced(): boolean {
    return this.channel.synced;
  }
  get phase(): StagePhase {
    return this.channel.state.lifecycle.phase;
  }
  private get you(): StageYou | null {
    const y = this.#you;
    return y && y.resyncs === this.channel.resyncs ? y.you : null;
  }
  get myHand(): StageHand | null {
    const you = this.you;
    return you ? you.hand : this.channel.state.myHand;
  }
  get canPublish(): boolean {
    const you = this.you;
    return you ? you.canPublish : handCanPublish(this.channel.state.myHand);
  }

  /** Takes the server's answer to our own hand request at once (a `stage:you` follows). */
  noteOwnHand(hand: StageHand | null): void {
    this.#you = {
      you: { slug: this.channel.slug, hand, canPublish: handCanPublish(hand) },
      resyncs: this.channel.resyncs,
    };
  }

  close(): void {
    this.socket.off('stage:you', this.onYou);
    this.channel.close();
  }
}
