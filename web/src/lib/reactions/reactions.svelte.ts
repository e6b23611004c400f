/**
 * Reactions of one event in the browser, shared by the reactions bar (in the chat panel) and the
 * floating overlay (over the stage): totals (seeded by the chat snapshot, then from each
 * `reaction:burst`), listeners for bursts to animate, and sending one reaction. One store per
 * event, counted by its users and dropped when the last one leaves.
 */
import type { ReactionBurst, ReactionCounts, ReactionEmoji } from '@colloquy/shared';
import { liveSocket, request, type LiveSocket } from '#lib/realtime/socket.ts';

export class ReactionsStore {
  readonly slug: string;
  totals = $state<ReactionCounts>({});
  /** Overlays placed over the stage: while there is one, the chat panel's own overlay stays empty. */
  stageOverlays = $state(0);
  private readonly socket: LiveSocket;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, not state
  private readonly listeners = new Set<(burst: ReactionCounts) => void>();

  constructor(slug: string, socket: LiveSocket) {
    this.slug = slug;
    this.socket = socket;
  }

  /** Totals from a snapshot: counts only grow, so keep the larger of each. */
  seed(totals: ReactionCounts): void {
    this.merge(totals);
  }

  receive(b: ReactionBurst): void {
    if (b.slug !== this.slug) return;
    this.merge(b.totals);
    for (const l of this.listeners) l(b.burst);
  }

  onBurst(fn: (burst: ReactionCounts) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * One reaction. Sent once, never retried: a reaction has no op id (it is ephemeral), so a retry
   * could count twice; a lost one is simply lost.
   */
  send(emoji: ReactionEmoji) {
    return request('reaction:send', { slug: this.slug, emoji }, { socket: this.socket, attempts: 1 });
  }

  private merge(totals: ReactionCounts): void {
    const next: ReactionCounts = { ...this.totals };
    for (const [emoji, n] of Object.entries(totals) as [ReactionEmoji, number][]) {
      next[emoji] = Math.max(next[emoji] ?? 0, n);
    }
    this.totals = next;
  }
}

// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a registry of stores, not state
const stores = new Map<string, { store: ReactionsStore; users: number; stop: () => void }>();

/** The event's reactions store; call `release` when done with it. */
export function reactionsFor(slug: string, socket: LiveSocket = liveSocket()) {
  let entry = stores.get(slug);
  if (!entry) {
    const store = new ReactionsStore(slug, socket);
    const onBurst = (b: ReactionBurst) => store.receive(b);
    socket.on('reaction:burst', onBurst);
    entry = { store, users: 0, stop: () => socket.off('reaction:burst', onBurst) };
    stores.set(slug, entry);
  }
  entry.users += 1;
  const e = entry;
  let released = false;
  return {
    store: e.store,
    release() {
      if (released) return;
      released = true;
      e.users -= 1;
      if (e.users === 0) {
        e.stop();
        stores.delete(slug);
      }
    },
  };
}
