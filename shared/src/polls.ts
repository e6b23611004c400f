/**
 * Live polls: moderators prepare drafts, launch them (open), close them and choose whether the
 * results are published to everyone. Each participant has one ballot per poll, which they may change
 * until the poll closes. Live state uses the `polls` feature of the live protocol (live.ts): every
 * change is `{ kind: 'poll', id: <poll id>, data: Poll | null }` with absolute tallies.
 */
import { z } from 'zod';
import type { Ack } from './realtime.ts';
import { humanText, liveWrite } from './live.ts';

export const POLL_KINDS = ['single', 'multiple', 'rating', 'words'] as const;
export const PollKind = z.enum(POLL_KINDS);
export type PollKind = z.infer<typeof PollKind>;

export const POLL_STATES = ['draft', 'open', 'closed'] as const;
export type PollState = (typeof POLL_STATES)[number];

export const LIMITS_POLLS = {
  questionMaxLength: 200,
  optionMaxLength: 80,
  optionsMin: 2,
  optionsMax: 10,
  /** A word-cloud answer: one short word or phrase. */
  wordMaxLength: 40,
  /** Word-cloud answers per person and poll. */
  wordsPerBallot: 3,
  /** Polls an event may hold (drafts included). */
  pollsPerEvent: 50,
  /** The word-cloud entries a projection carries (the most frequent). */
  wordsShown: 50,
} as const;

/** The rating scale's values, as the ballot's choices. */
export const RATING_VALUES = ['1', '2', '3', '4', '5'] as const;

export interface PollOption {
  /** Stable within the poll: `o1`, `o2`… */
  id: string;
  text: string;
}

/**
 * Absolute tallies (never increments): for single and multiple choice by option id, for ratings by
 * `'1'`…`'5'`, for word clouds by normalized answer (the `LIMITS_POLLS.wordsShown` most frequent).
 * A key with no votes may be absent. `voters` is the number of people with a ballot.
 */
export interface PollResults {
  voters: number;
  counts: Record<string, number>;
}

/** kind `poll`, id = poll id. */
export interface Poll {
  id: string;
  kind: PollKind;
  question: string;
  /** Empty for rating and word-cloud polls. */
  options: PollOption[];
  state: PollState;
  /** Results visible to everyone (the moderator's choice; possible while open or once closed). */
  published: boolean;
  /** Orders polls: the order they were created in. */
  seq: number;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** Always present for staff; for everyone else only once published (otherwise null). */
  results: PollResults | null;
}

/**
 * One person's ballot: the option ids (single: exactly one; multiple: one or more), the rating
 * (`['1']`…`['5']`), or up to three word-cloud answers (normalized).
 */
export interface PollBallot {
  choices: string[];
}

/** The whole polls state for one viewer (a snapshot). */
export interface PollsState {
  /** By poll id. The audience never sees drafts. */
  polls: Record<string, Poll>;
  /** The viewer's own ballots, by poll id (so a reload shows what they chose). */
  mine: Record<string, PollBallot>;
}

/** What `GET /api/events/:slug/polls` answers: the caller's view, polls in their order. */
export interface PollsListing {
  version: number;
  polls: Poll[];
  mine: Record<string, PollBallot>;
}

/**
 * Redis's Lua cjson writes an empty array as `{}`: a poll with no options arrives in deltas with
 * `options: {}`. Clients (and the server's own reads) pass every poll through this.
 */
export function pollFromWire(p: Poll): Poll {
  return { ...p, options: Array.isArray(p.options) ? p.options : [] };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/u;

/** A word-cloud answer: trimmed, inner spaces collapsed, lower case, no control characters. */
export const PollWord = z
  .string()
  .max(LIMITS_POLLS.wordMaxLength * 4, `at most ${LIMITS_POLLS.wordMaxLength} characters`)
  .refine((s) => !CONTROL.test(s), { message: 'contains control characters' })
  .transform((s) => s.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'cannot be empty')
      .max(LIMITS_POLLS.wordMaxLength, `at most ${LIMITS_POLLS.wordMaxLength} characters`),
  );

const optionKey = (s: string) => s.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();

/** A poll's content: single-line text (no control characters at all), options only for choice polls. */
const pollContent = {
  kind: PollKind,
  question: humanText(LIMITS_POLLS.questionMaxLength).refine((s) => !CONTROL.test(s), {
    message: 'must be one line',
  }),
  options: z
    .array(humanText(LIMITS_POLLS.optionMaxLength).refine((s) => !CONTROL.test(s), { message: 'must be one line' }))
    .max(LIMITS_POLLS.optionsMax, `at most ${LIMITS_POLLS.optionsMax} options`)
    .default([]),
};

type Content = { kind: PollKind; options: string[] };
const checkOptions = (p: Content, ctx: z.RefinementCtx) => {
  const choice = p.kind === 'single' || p.kind === 'multiple';
  if (!choice && p.options.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice polls have options' });
  }
  if (choice && p.options.length < LIMITS_POLLS.optionsMin) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: `at least ${LIMITS_POLLS.optionsMin} options` });
  }
  const seen = new Set<string>();
  p.options.forEach((o, i) => {
    const key = optionKey(o);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['options', i], message: 'duplicate option' });
    seen.add(key);
  });
};

export const PollCreateInput = liveWrite(pollContent).superRefine(checkOptions);
export const PollUpdateInput = liveWrite({ pollId: z.uuid(), ...pollContent }).superRefine(checkOptions);
/** Names one poll: delete (drafts only), open (launch a draft), close (an open poll). */
export const PollRefInput = liveWrite({ pollId: z.uuid() });
export const PollPublishInput = liveWrite({ pollId: z.uuid(), published: z.boolean() });
export const PollVoteInput = liveWrite({
  pollId: z.uuid(),
  choices: z
    .array(PollWord)
    .min(1, 'choose at least one')
    .max(LIMITS_POLLS.optionsMax, `at most ${LIMITS_POLLS.optionsMax} choices`)
    // The same answer twice (after normalizing) counts once.
    .transform((c) => [...new Set(c)]),
});

export type PollCreateInput = z.infer<typeof PollCreateInput>;
export type PollUpdateInput = z.infer<typeof PollUpdateInput>;
export type PollRefInput = z.infer<typeof PollRefInput>;
export type PollPublishInput = z.infer<typeof PollPublishInput>;
export type PollVoteInput = z.infer<typeof PollVoteInput>;

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const POLL_EVENT_SCHEMAS = {
  /** Staff: prepare a draft. */
  'polls:create': PollCreateInput,
  /** Staff: edit a draft (`conflict` once launched). */
  'polls:update': PollUpdateInput,
  /** Staff: delete a draft (`conflict` once launched: results are kept). */
  'polls:delete': PollRefInput,
  /** Staff: launch a draft (draft → open). */
  'polls:open': PollRefInput,
  /** Staff: close an open poll (open → closed); ballots are final. */
  'polls:close': PollRefInput,
  /** Staff: show the results to everyone, or to staff only (open or closed polls). */
  'polls:publish': PollPublishInput,
  /** Participants: cast or change their ballot on an open poll. */
  'polls:vote': PollVoteInput,
} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export interface PollClientEvents {
  'polls:create': (p: z.input<typeof PollCreateInput>, ack: Ack<Poll>) => void;
  'polls:update': (p: z.input<typeof PollUpdateInput>, ack: Ack<Poll>) => void;
  'polls:delete': (p: PollRefInput, ack: Ack<null>) => void;
  'polls:open': (p: PollRefInput, ack: Ack<Poll>) => void;
  'polls:close': (p: PollRefInput, ack: Ack<Poll>) => void;
  'polls:publish': (p: PollPublishInput, ack: Ack<Poll>) => void;
  'polls:vote': (p: PollVoteInput, ack: Ack<PollBallot>) => void;
}
