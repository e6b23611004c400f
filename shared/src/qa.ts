/**
 * Moderated Q&A: the audience asks and upvotes; moderators approve, dismiss, correct, merge, pin one
 * as "answering now" and mark questions answered. Live state uses the `qa` feature of the live
 * protocol (live.ts); `question` and `settings` are the `kind`s of its changes.
 */
import { z } from 'zod';
import type { Ack } from './realtime.ts';
import { humanText, liveWrite } from './live.ts';

export const LIMITS_QA = {
  questionMaxLength: 300,
  /** Questions one person may ask per minute at one event. */
  asksPerMinute: 5,
} as const;

/** Question ids are small integers the server assigns per event, as strings. */
export const QuestionId = z.string().regex(/^[1-9][0-9]{0,11}$/, 'not a question id');

export const QUESTION_STATUSES = ['pending', 'approved', 'answered'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** When a question was pinned as "answering now" (ISO instants; `end` null while it still is). */
export interface AnsweringSpan {
  start: string;
  end: string | null;
}

/**
 * kind `question`, id = question id. The public projection (audience, speakers) has only approved
 * and answered questions, and no author for anonymous ones; the staff projection has pending ones
 * too, and always the author.
 */
export interface QaQuestion {
  id: string;
  text: string;
  status: QuestionStatus;
  votes: number;
  /** ISO instant. */
  createdAt: string;
  /** A moderator corrected the text. */
  edited: boolean;
  anonymous: boolean;
  /** Null in the public projection of an anonymous question. */
  author: { id: string; name: string } | null;
  /** Every time it was "answering now" (absent when never). */
  answeringAt?: AnsweringSpan[];
  /** Staff only: the word filter sent it to the queue. */
  flagged?: boolean;
}

/** kind `settings`, id `main`. */
export interface QaSettings {
  premoderation: boolean;
  /** The question being answered now, or null. */
  pinnedId: string | null;
}

/** The whole Q&A state for one viewer (a snapshot). */
export interface QaState {
  /** True when this is the staff view (moderators, organizers). */
  staff: boolean;
  settings: QaSettings;
  /** Visible questions by id; for the audience also the viewer's own pending ones. */
  questions: Record<string, QaQuestion>;
  /** Ids of the questions the viewer has upvoted. */
  myVotes: string[];
  /** Ids of the viewer's own questions. */
  mine: string[];
}

export const QaAskInput = liveWrite({
  text: humanText(LIMITS_QA.questionMaxLength),
  anonymous: z.boolean().optional(),
});
export const QaVoteInput = liveWrite({ questionId: QuestionId, up: z.boolean() });
/** A moderator acting on one question. */
export const QaQuestionInput = liveWrite({ questionId: QuestionId });
export const QaEditInput = liveWrite({ questionId: QuestionId, text: humanText(LIMITS_QA.questionMaxLength) });
export const QaMergeInput = liveWrite({ questionId: QuestionId, intoId: QuestionId });
export const QaPinInput = liveWrite({ questionId: QuestionId.nullable() });
export const QaSettingsInput = liveWrite({ premoderation: z.boolean() });

export type QaAskInput = z.infer<typeof QaAskInput>;
export type QaVoteInput = z.infer<typeof QaVoteInput>;
export type QaQuestionInput = z.infer<typeof QaQuestionInput>;
export type QaEditInput = z.infer<typeof QaEditInput>;
export type QaMergeInput = z.infer<typeof QaMergeInput>;
export type QaPinInput = z.infer<typeof QaPinInput>;
export type QaSettingsInput = z.infer<typeof QaSettingsInput>;

export interface QaVoteResult {
  questionId: string;
  voted: boolean;
  votes: number;
}

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const QA_EVENT_SCHEMAS = {
  /** Participants: ask a question (pending when pre-moderation is on or the word filter matches). */
  'qa:ask': QaAskInput,
  /** Participants: upvote (`up: true`) or withdraw the upvote. */
  'qa:vote': QaVoteInput,
  /** Staff: let a pending question through. */
  'qa:approve': QaQuestionInput,
  /** Staff: remove a question. */
  'qa:dismiss': QaQuestionInput,
  /** Staff: correct a question's text (it is shown as edited). */
  'qa:edit': QaEditInput,
  /** Staff: merge a duplicate into another question; their voters are united. */
  'qa:merge': QaMergeInput,
  /** Staff: pin a question as "answering now", or unpin (null). */
  'qa:pin': QaPinInput,
  /** Staff: mark a question answered (unpins it if pinned). */
  'qa:answered': QaQuestionInput,
  /** Staff: turn pre-moderation on or off. */
  'qa:settings': QaSettingsInput,
} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export interface QaClientEvents {
  'qa:ask': (p: QaAskInput, ack: Ack<QaQuestion>) => void;
  'qa:vote': (p: QaVoteInput, ack: Ack<QaVoteResult>) => void;
  'qa:approve': (p: QaQuestionInput, ack: Ack<QaQuestion>) => void;
  'qa:dismiss': (p: QaQuestionInput, ack: Ack<null>) => void;
  'qa:edit': (p: QaEditInput, ack: Ack<QaQuestion>) => void;
  'qa:merge': (p: QaMergeInput, ack: Ack<QaQuestion>) => void;
  'qa:pin': (p: QaPinInput, ack: Ack<QaSettings>) => void;
  'qa:answered': (p: QaQuestionInput, ack: Ack<QaQuestion>) => void;
  'qa:settings': (p: QaSettingsInput, ack: Ack<QaSettings>) => void;
}
