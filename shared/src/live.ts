/**
 * The live-state protocol shared by every live feature (stage, Q&A, polls, chat): acked writes with
 * operation ids, versioned and coalesced deltas per event room, and snapshots to resync from.
 * See docs/protocol.md.
 */
import { z } from 'zod';
import { Slug } from './catalogue.ts';

/** A UUID the client makes for each state-changing emit; a retry reuses it. */
export const OpId = z.uuid();

export const LIVE_FEATURES = ['stage', 'qa', 'polls', 'chat'] as const;
export const LiveFeature = z.enum(LIVE_FEATURES);
export type LiveFeature = z.infer<typeof LiveFeature>;

/**
 * One changed entity, always as its whole new value (never an increment), so applying a change
 * twice, or after a snapshot that already includes it, is harmless. `data: null` removes it.
 */
export interface LiveChange<D = unknown> {
  kind: string;
  id: string;
  data: D | null;
}

/**
 * A coalesced batch for one feature of one event: the writes numbered `from`..`to` (inclusive),
 * with only the latest value of each entity they touched. A client at version v applies it when
 * `from <= v + 1`; a larger `from` is a gap, and the client takes a snapshot instead.
 */
export interface LiveDelta<D = unknown> {
  slug: string;
  feature: LiveFeature;
  from: number;
  to: number;
  changes: LiveChange<D>[];
}

/** A feature's whole state as this viewer may see it, at `version`. */
export interface LiveSnapshot<S = unknown> {
  slug: string;
  feature: LiveFeature;
  version: number;
  state: S;
}

export const LiveSnapshotPayload = z.object({ slug: Slug, feature: LiveFeature }).strict();
export type LiveSnapshotPayload = z.infer<typeof LiveSnapshotPayload>;

/** Builds the schema of a live write: the event's slug, the client's op id, and the fields. */
export function liveWrite<T extends z.ZodRawShape>(shape: T) {
  return z.object({ slug: Slug, opId: OpId, ...shape }).strict();
}

/** Text people type (questions, messages): trimmed, not empty, no control characters. */
export function humanText(max: number) {
  return (
    z
      .string()
      .trim()
      .min(1, 'cannot be empty')
      .max(max, `at most ${max} characters`)
      // Control characters (newlines and tabs are allowed) and bidi overrides, which can disguise text.
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/u.test(s), {
        message: 'contains control characters',
      })
  );
}
