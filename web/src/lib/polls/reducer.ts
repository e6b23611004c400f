/**
 * The polls' live state in the browser, folded from a snapshot and the `poll` changes of the
 * `polls` feature, and the rows a results chart shows. Plain TypeScript (no runes).
 */
import {
  pollFromWire,
  RATING_VALUES,
  type LiveChange,
  type Poll,
  type PollBallot,
  type PollKind,
  type PollsState,
} from '@colloquy/shared';

export function emptyPolls(): PollsState {
  return { polls: {}, mine: {} };
}

export const pollsReducer = {
  empty: emptyPolls,
  fromSnapshot(raw: unknown): PollsState {
    const s = (raw ?? {}) as Partial<PollsState>;
    const polls: Record<string, Poll> = {};
    for (const [id, p] of Object.entries(s.polls ?? {})) polls[id] = pollFromWire(p);
    return { polls, mine: { ...(s.mine ?? {}) } };
  },
  apply(state: PollsState, c: LiveChange): void {
    if (c.kind !== 'poll') return;
    if (c.data === null) {
      delete state.polls[c.id];
      delete state.mine[c.id];
    } else {
      state.polls[c.id] = pollFromWire(c.data as Poll);
    }
  },
};

/** Newest first among launched polls: open ones before closed ones; drafts (staff) last. */
export function orderPolls(polls: Poll[]): Poll[] {
  const rank = { open: 0, closed: 1, draft: 2 } as const;
  return [...polls].sort((a, b) => rank[a.state] - rank[b.state] || b.seq - a.seq);
}

export const KIND_LABEL: Record<PollKind, string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  rating: 'Rating 1–5',
  words: 'Word cloud',
};

export interface ResultRow {
  key: string;
  label: string;
  count: number;
  /** Share of the voters who chose it, 0–1. */
  share: number;
}

/** The rows of a poll's results: options or ratings in order, words by frequency. */
export function resultRows(poll: Poll): ResultRow[] {
  const r = poll.results;
  if (!r) return [];
  const count = (k: string) => (Object.hasOwn(r.counts, k) ? (r.counts[k] ?? 0) : 0);
  const row = (key: string, label: string): ResultRow => ({
    key,
    label,
    count: count(key),
    share: r.voters > 0 ? count(key) / r.voters : 0,
  });
  if (poll.kind === 'rating') return RATING_VALUES.map((v) => row(v, v));
  if (poll.kind === 'words') {
    return Object.keys(r.counts)
      .map((w) => row(w, w))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
  return poll.options.map((o) => row(o.id, o.text));
}

/** The average rating, or null without votes. */
export function averageRating(poll: Poll): number | null {
  const rows = resultRows(poll);
  const n = rows.reduce((s, x) => s + x.count, 0);
  return n ? rows.reduce((s, x) => s + Number(x.key) * x.count, 0) / n : null;
}

/** What a ballot says, in words (for "Your vote: …"). */
export function describeBallot(poll: Poll, ballot: PollBallot | undefined): string {
  if (!ballot) return '';
  if (poll.kind === 'rating') return `${ballot.choices[0] ?? ''} out of 5`;
  if (poll.kind === 'words') return ballot.choices.join(', ');
  return ballot.choices.map((c) => poll.options.find((o) => o.id === c)?.text ?? c).join(', ');
}

export const percent = (share: number) =>
  new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }).format(share);
