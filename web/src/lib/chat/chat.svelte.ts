/**
 * The chat of one event in the browser: a LiveChannel on the `chat` feature (snapshot + versioned
 * deltas), the viewer's own standing pushed by `chat:you`, and the actions (each a `send` with an
 * op id). Reaction totals from snapshots seed the shared reactions store.
 */
import type {
  ChatMe,
  ChatMessage,
  ChatReport,
  ChatRestriction,
  ChatSettings,
  ChatState,
  LiveChange,
  ReportKind,
} from '@colloquy/shared';
import { untrack } from 'svelte';
import { LiveChannel, type LiveReducer } from '#lib/realtime/channel.svelte.ts';
import { liveSocket, send, type LiveSocket } from '#lib/realtime/socket.ts';
import { reactionsFor } from '#lib/reactions/reactions.svelte.ts';

/** Messages kept in the browser (the newest). */
const KEEP = 200;

/** Stream ids `<ms>-<seq>` in order. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

const asReport = (r: ChatReport): ChatReport => ({ ...r, reasons: Array.isArray(r.reasons) ? r.reasons : [] });

export const chatReducer: LiveReducer<ChatState> = {
  empty: () => ({
    messages: [],
    settings: { enabled: true, slowModeSeconds: 0 },
    me: { muted: false, banned: false },
    reactions: {},
    restrictions: {},
    reports: {},
  }),
  fromSnapshot(raw) {
    const s = raw as ChatState;
    return {
      ...s,
      reports: Object.fromEntries(Object.entries(s.reports).map(([id, r]) => [id, asReport(r)])),
    };
  },
  apply(state, c: LiveChange) {
    switch (c.kind) {
      case 'message': {
        const i = state.messages.findIndex((m) => m.id === c.id);
        if (c.data === null) {
          if (i !== -1) state.messages.splice(i, 1);
        } else if (i !== -1) {
          state.messages[i] = c.data as ChatMessage;
        } else {
          const m = c.data as ChatMessage;
          // Usually the newest: walk back from the end to its place.
          let at = state.messages.length;
          while (at > 0 && compareIds(state.messages[at - 1]!.id, m.id) > 0) at--;
          state.messages.splice(at, 0, m);
          if (state.messages.length > KEEP) state.messages.splice(0, state.messages.length - KEEP);
        }
        break;
      }
      case 'settings':
        if (c.data) state.settings = c.data as ChatSettings;
        break;
      case 'restriction':
        if (c.data === null) delete state.restrictions[c.id];
        else state.restrictions[c.id] = c.data as ChatRestriction;
        break;
      case 'report':
        if (c.data === null) delete state.reports[c.id];
        else state.reports[c.id] = asReport(c.data as ChatReport);
        break;
    }
  },
};

export class ChatStore {
  readonly slug: string;
  readonly channel: LiveChannel<ChatState>;
  /** Set by `chat:you` between snapshots; a snapshot's `me` replaces it. */
  private pushedMe = $state<ChatMe | null>(null);
  private seenResync = -1;
  private readonly socket: LiveSocket;
  private readonly release: () => void;
  private readonly stopEffects: () => void;
  private readonly onYou = (p: ChatMe & { slug: string }) => {
    if (p.slug !== this.slug) return;
    this.pushedMe = { muted: p.muted, banned: p.banned };
    // Coming back from a ban: read the chat again.
    if (!p.banned && this.channel.state.me.banned) void this.channel.resync();
  };

  constructor(slug: string, socket: LiveSocket = liveSocket()) {
    this.slug = slug;
    this.socket = socket;
    this.channel = new LiveChannel(slug, 'chat', chatReducer, socket);
    socket.on('chat:you', this.onYou);
    const reactions = reactionsFor(slug, socket);
    this.release = reactions.release;
    this.stopEffects = $effect.root(() => {
      $effect(() => {
        // Each new snapshot: its reaction totals, and its word on who I am, win.
        const resyncs = this.channel.resyncs;
        const totals = this.channel.state.reactions;
        untrack(() => {
          if (resyncs === this.seenResync) return;
          this.seenResync = resyncs;
          this.pushedMe = null;
          reactions.store.seed(totals);
        });
      });
    });
  }

  get state(): ChatState {
    return this.channel.state;
  }
  get me(): ChatMe {
    return this.pushedMe ?? this.channel.state.me;
  }
  /** The messages to show (none for someone banned from the chat). */
  get messages(): ChatMessage[] {
    return this.me.banned ? [] : this.channel.state.messages;
  }

  post(text: string) {
    return send('chat:send', { slug: this.slug, text }, { socket: this.socket });
  }
  remove(id: string) {
    return send('chat:delete', { slug: this.slug, id }, { socket: this.socket });
  }
  restrict(userId: string, state: 'none' | 'muted' | 'banned') {
    return send('chat:restrict', { slug: this.slug, userId, state }, { socket: this.socket });
  }
  settings(s: { enabled?: boolean; slowModeSeconds?: number }) {
    return send('chat:settings', { slug: this.slug, ...s }, { socket: this.socket });
  }
  report(kind: ReportKind, id: string, reason?: string) {
    return send(
      'moderation:report',
      { slug: this.slug, kind, id, ...(reason ? { reason } : {}) },
      { socket: this.socket },
    );
  }
  review(reportId: string, outcome: 'dismissed' | 'resolved', removeItem = false) {
    return send('moderation:review', { slug: this.slug, reportId, outcome, removeItem }, { socket: this.socket });
  }

  close(): void {
    this.channel.close();
    this.socket.off('chat:you', this.onYou);
    this.release();
    this.stopEffects();
  }
}
