/**
 * Moderation shared by Q&A and chat: the organizers' word filter (one list for the whole site, a
 * Redis set), and reports of questions or messages that queue for moderators (reports.ts). Q&A
 * and chat register how to read (and, optionally, remove) their items as report targets.
 */
import { PREFIX, type Redis } from '../store/redis.ts';
import { foldWords, WordMatcher } from './filter.ts';

/** What a report points at: features register how to read the text of their items. */
export type ReportKind = 'question' | 'message';
export interface ReportTarget {
  /** The item as moderators should see it in the reports queue, or null when it does not exist. */
  describe(eventId: string, id: string): Promise<{ text: string; authorId: string; authorName: string } | null>;
  /**
   * Removes the item when a moderator resolves its report with "remove" (optional: without it,
   * resolving only closes the report). Resolves true when the item was there.
   */
  remove?(event: { id: string; slug: string }, id: string): Promise<boolean>;
}

export interface WordFilter {
  /** The words, sorted. */
  list(): Promise<string[]>;
  /** Adds a word; false when it was already there (compared after folding case and accents). */
  add(word: string): Promise<boolean>;
  /** Removes a word as listed; false when it was not there. */
  remove(word: string): Promise<boolean>;
}

export interface Moderation {
  /** The filter's words found in `text` (case- and accent-insensitive, whole words); empty when clean. */
  blockedWords(text: string): Promise<string[]>;
  registerReportTarget(kind: ReportKind, target: ReportTarget): void;
  /** The target registered for `kind`, if any. */
  reportTarget(kind: ReportKind): ReportTarget | undefined;
  words: WordFilter;
}

const WORDS = `${PREFIX}moderation:words`;
/** Bumped on every change, so each node reloads its compiled filter only when it changed. */
const WORDS_VERSION = `${PREFIX}moderation:words:v`;

export function createModeration(redis: Redis): Moderation {
  const targets = new Map<ReportKind, ReportTarget>();
  let cached: { version: string; matcher: WordMatcher } | null = null;

  async function matcher(): Promise<WordMatcher> {
    const version = (await redis.get(WORDS_VERSION)) ?? '0';
    if (cached?.version === version) return cached.matcher;
    const [words, again] = await Promise.all([redis.sMembers(WORDS), redis.get(WORDS_VERSION)]);
    const m = new WordMatcher(words);
    // Only keep it when no change landed while we read (otherwise the next call reloads).
    if ((again ?? '0') === version) cached = { version, matcher: m };
    return m;
  }

  const words: WordFilter = {
    async list() {
      return (await redis.sMembers(WORDS)).sort((a, b) => a.localeCompare(b));
    },
    async add(word) {
      const folded = foldWords(word).join(' ');
      if ((await redis.sMembers(WORDS)).some((w) => foldWords(w).join(' ') === folded)) return false;
      await redis.multi().sAdd(WORDS, word).incr(WORDS_VERSION).exec();
      return true;
    },
    async remove(word) {
      const [removed] = await redis.multi().sRem(WORDS, word).incr(WORDS_VERSION).exec();
      return Number(removed) === 1;
    },
  };

  return {
    async blockedWords(text) {
      return (await matcher()).match(text);
    },
    registerReportTarget(kind, target) {
      targets.set(kind, target);
    },
    reportTarget: (kind) => targets.get(kind),
    words,
  };
}
