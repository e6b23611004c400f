/**
 * The Q&A's live state in the browser, folded from a snapshot and the `question` / `settings`
 * changes of the `qa` feature. Plain TypeScript (no runes), so the integration tests fold deltas
 * with exactly this code.
 */
import type { LiveChange, QaQuestion, QaSettings, QaState } from '@colloquy/shared';

export interface QaView {
  /** The staff projection (moderators, organizers). */
  staff: boolean;
  settings: QaSettings;
  questions: Record<string, QaQuestion>;
  myVotes: Record<string, true>;
  mine: Record<string, true>;
}

const flags = (ids: string[] | undefined) => Object.fromEntries((ids ?? []).map((id) => [id, true as const]));

export function emptyQa(): QaView {
  return { staff: false, settings: { premoderation: false, pinnedId: null }, questions: {}, myVotes: {}, mine: {} };
}

export const qaReducer = {
  empty: emptyQa,
  fromSnapshot(raw: unknown): QaView {
    const s = (raw ?? {}) as Partial<QaState>;
    return {
      staff: s.staff ?? false,
      settings: s.settings ?? emptyQa().settings,
      questions: { ...(s.questions ?? {}) },
      myVotes: flags(s.myVotes),
      mine: flags(s.mine),
    };
  },
  apply(state: QaView, c: LiveChange): void {
    if (c.kind === 'settings') {
      if (c.data) state.settings = c.data as QaSettings;
      return;
    }
    if (c.kind !== 'question') return;
    if (c.data !== null) {
      state.questions[c.id] = c.data as QaQuestion;
      return;
    }
    // The public projection hides pending questions; the author still sees their own until it is
    // approved (a later change) or gone from their next snapshot.
    const current = state.questions[c.id];
    if (!state.staff && current?.status === 'pending' && state.mine[c.id]) return;
    delete state.questions[c.id];
    delete state.myVotes[c.id];
  },
};

export type QaOrder = 'votes' | 'time';

/** Questions in display order: most votes first (older first on a tie), or newest first. */
export function sortQuestions(list: QaQuestion[], order: QaOrder): QaQuestion[] {
  const byId = (a: QaQuestion, b: QaQuestion) => Number(a.id) - Number(b.id);
  return [...list].sort(order === 'votes' ? (a, b) => b.votes - a.votes || byId(a, b) : (a, b) => byId(b, a));
}

/** The question being answered now, if it is visible to this viewer. */
export const pinnedQuestion = (v: QaView): QaQuestion | null =>
  v.settings.pinnedId ? (v.questions[v.settings.pinnedId] ?? null) : null;
