/**
 * Chat, emoji reactions and moderation (the word filter and reports). Chat is the `chat` feature of
 * the live protocol (live.ts); the entities below are the `kind`s of its changes:
 *   `message`     id = message id            the message, or null once deleted
 *   `settings`    id = `main`                slow mode and the on/off switch
 *   `restriction` id = user id               staff only: who is muted or banned from chat
 *   `report`      id = report id             staff only: the reports queue (Q&A questions too)
 * Reactions are not versioned state: counts live in Redis and the server pushes `reaction:burst`.
 */
import { z } from 'zod';
import type { Ack } from './realtime.ts';
import { Slug } from './catalogue.ts';
import { humanText, liveWrite } from './live.ts';

export const LIMITS_CHAT = {
  messageMaxLength: 500,
  /** Messages in a snapshot (the newest). */
  snapshotMessages: 100,
  /** Messages kept per event in Redis (older ones fall off). */
  keptMessages: 500,
  /** Messages per person per window, whatever slow mode says (staff included). */
  messagesPerWindow: 10,
  messageWindowSeconds: 10,
  slowModeMaxSeconds: 600,
  /** Reactions per person per window. */
  reactionsPerWindow: 10,
  reactionWindowSeconds: 10,
  reportReasonMaxLength: 200,
  filterWordMaxLength: 60,
  filterMaxWords: 2000,
} as const;

/** The fixed set of reactions, with the name a screen reader says. */
export const REACTIONS = ['👏', '❤️', '😂', '🎉', '🤔', '👍'] as const;
export const ReactionEmoji = z.enum(REACTIONS);
export type ReactionEmoji = z.infer<typeof ReactionEmoji>;
export const REACTION_NAMES: Record<ReactionEmoji, string> = {
  '👏': 'Applause',
  '❤️': 'Love',
  '😂': 'Laughter',
  '🎉': 'Celebration',
  '🤔': 'Thinking',
  '👍': 'Thumbs up',
};
/** Emoji → count (emoji with no reactions are left out). */
export type ReactionCounts = Partial<Record<ReactionEmoji, number>>;

/** Stream ids from Redis (`<ms>-<seq>`): ordered by time, then sequence. */
export const ChatMessageId = z.string().regex(/^\d{1,16}-\d{1,10}$/, 'not a message id');

export type ChatAuthorRole = 'audience' | 'speaker' | 'moderator' | 'organizer';

/** kind `message`. */
export interface ChatMessage {
  id: string;
  /** Plain text, exactly as typed (trimmed); the browser turns http(s) URLs in it into links. */
  text: string;
  authorName: string;
  authorRole: ChatAuthorRole;
  /** ISO instant. */
  at: string;
  /** The author's user id: in the staff projection only (to mute or ban them). */
  authorId?: string;
}

/** kind `settings`, id `main`. */
export interface ChatSettings {
  enabled: boolean;
  /** One message per this many seconds per person (0 = off); staff are exempt. */
  slowModeSeconds: number;
}

export const CHAT_RESTRICTIONS = ['none', 'muted', 'banned'] as const;
export type ChatRestrictionState = (typeof CHAT_RESTRICTIONS)[number];

/** kind `restriction`, id = user id (staff only). Muted: reads, cannot post. Banned: also removed from chat. */
export interface ChatRestriction {
  userId: string;
  name: string;
  state: 'muted' | 'banned';
  at: string;
}

/** The viewer's own standing in the chat. */
export interface ChatMe {
  muted: boolean;
  banned: boolean;
}

export const REPORT_KINDS = ['question', 'message'] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;

/** kind `report`, id = report id (staff only): one open report per reported item. */
export interface ChatReport {
  id: string;
  kind: ReportKind;
  /** The question's or message's id. */
  itemId: string;
  /** The item's text and author when it was first reported. */
  text: string;
  authorName: string;
  authorId: string;
  /** How many people reported it. */
  reporters: number;
  /** The latest reasons given, oldest first (at most 5). */
  reasons: string[];
  firstAt: string;
  lastAt: string;
}

/** The whole chat as one viewer sees it (`restrictions` and `reports` are empty for non-staff). */
export interface ChatState {
  /** The newest messages, oldest first. */
  messages: ChatMessage[];
  settings: ChatSettings;
  me: ChatMe;
  reactions: ReactionCounts;
  restrictions: Record<string, ChatRestriction>;
  reports: Record<string, ChatReport>;
}

export const ChatSendInput = liveWrite({ text: humanText(LIMITS_CHAT.messageMaxLength) });
export const ChatDeleteInput = liveWrite({ id: ChatMessageId });
export const ChatRestrictInput = liveWrite({
  userId: z.string().min(1).max(64),
  state: z.enum(CHAT_RESTRICTIONS),
});
export const ChatSettingsInput = liveWrite({
  enabled: z.boolean().optional(),
  slowModeSeconds: z.number().int().min(0).max(LIMITS_CHAT.slowModeMaxSeconds).optional(),
}).refine((p) => p.enabled !== undefined || p.slowModeSeconds !== undefined, {
  message: 'give enabled or slowModeSeconds',
});
/** No op id: a reaction is ephemeral, and the client never retries one (see decision 0016). */
export const ReactionInput = z.object({ slug: Slug, emoji: ReactionEmoji }).strict();
export const ReportInput = liveWrite({
  kind: ReportKind,
  id: z.string().min(1).max(64),
  reason: humanText(LIMITS_CHAT.reportReasonMaxLength).optional(),
});
export const ReviewInput = liveWrite({
  reportId: z.string().regex(/^\d{1,12}$/, 'not a report id'),
  outcome: z.enum(['dismissed', 'resolved']),
  /** With `resolved`: also delete the reported item (messages only). */
  removeItem: z.boolean().optional(),
});

export type ChatSendInput = z.infer<typeof ChatSendInput>;
export type ChatDeleteInput = z.infer<typeof ChatDeleteInput>;
export type ChatRestrictInput = z.infer<typeof ChatRestrictInput>;
export type ChatSettingsInput = z.infer<typeof ChatSettingsInput>;
export type ReactionInput = z.infer<typeof ReactionInput>;
export type ReportInput = z.infer<typeof ReportInput>;
export type ReviewInput = z.infer<typeof ReviewInput>;

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const CHAT_EVENT_SCHEMAS = {
  /** Participants: post a message. */
  'chat:send': ChatSendInput,
  /** Staff: delete a message. */
  'chat:delete': ChatDeleteInput,
  /** Staff: mute, ban or restore a person in this event's chat. */
  'chat:restrict': ChatRestrictInput,
  /** Staff: switch chat on or off, set slow mode. */
  'chat:settings': ChatSettingsInput,
  /** Participants: one emoji reaction. */
  'reaction:send': ReactionInput,
  /** Participants: report a question or a message to the moderators. */
  'moderation:report': ReportInput,
  /** Staff: dismiss or resolve a report. */
  'moderation:review': ReviewInput,
} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export interface ChatClientEvents {
  'chat:send': (p: ChatSendInput, ack: Ack<ChatMessage>) => void;
  'chat:delete': (p: ChatDeleteInput, ack: Ack<null>) => void;
  'chat:restrict': (p: ChatRestrictInput, ack: Ack<ChatRestriction | null>) => void;
  'chat:settings': (p: ChatSettingsInput, ack: Ack<ChatSettings>) => void;
  'reaction:send': (p: ReactionInput, ack: Ack<null>) => void;
  'moderation:report': (p: ReportInput, ack: Ack<{ reportId: string }>) => void;
  /** `removed`: this call deleted the reported item. */
  'moderation:review': (p: ReviewInput, ack: Ack<{ kind: ReportKind; itemId: string; removed: boolean }>) => void;
}

/** Reactions over one short tick: how many of each came in (`burst`) and the event's totals. */
export interface ReactionBurst {
  slug: string;
  burst: ReactionCounts;
  totals: ReactionCounts;
}

/** Events the server pushes for this feature besides `live:delta`. */
export interface ChatServerEvents {
  /** To one person (their user room) when a moderator mutes, bans or restores them. */
  'chat:you': (payload: ChatMe & { slug: string }) => void;
  /** To the event room, a few times a second at most while people react. */
  'reaction:burst': (payload: ReactionBurst) => void;
}

/** The organizers' word filter (REST, `/api/admin/moderation/words`). */
export const FilterWord = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(LIMITS_CHAT.filterWordMaxLength, `at most ${LIMITS_CHAT.filterWordMaxLength} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/u.test(s), {
    message: 'contains control characters',
  })
  .refine((s) => /[\p{L}\p{N}]/u.test(s), { message: 'needs at least one letter or digit' });
export const FilterWordInput = z.object({ word: FilterWord }).strict();
export type FilterWordInput = z.infer<typeof FilterWordInput>;

export interface FilterWords {
  words: string[];
}
