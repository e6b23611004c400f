/**
 * Moderation shared by Q&A and chat: the organizers' word filter, and reports of questions or
 * messages that queue for moderators. (The chat/moderation issue fills in the implementation;
 * Q&A and chat call this interface.)
 */
import type { Redis } from '../store/redis.ts';

/** What a report points at: features register how to read the text of their items. */
export type ReportKind = 'question' | 'message';
export interface ReportTarget {
  /** The item as moderators should see it in the reports queue, or null when it does not exist. */
  describe(eventId: string, id: string): Promise<{ text: string; authorId: string; authorName: string } | null>;
}

export interface Moderation {
  /** The filter's words found in `text` (case- and accent-insensitive, whole words); empty when clean. */
  blockedWords(text: string): Promise<string[]>;
  registerReportTarget(kind: ReportKind, target: ReportTarget): void;
}

export function createModeration(_redis: Redis): Moderation {
  const targets = new Map<ReportKind, ReportTarget>();
  return {
    async blockedWords() {
      return [];
    },
    registerReportTarget(kind, target) {
      targets.set(kind, target);
    },
  };
}
