/**
 * The stage: an event's lifecycle (scheduled → green room → live → ended), raised hands, bringing
 * audience members on stage, and moderator controls. Live state uses the `stage` feature of the
 * live protocol (live.ts); the entities below are the `kind`s of its changes.
 */
import { z } from 'zod';
import type { Ack } from './realtime.ts';
import { humanText, liveWrite } from './live.ts';

export const STAGE_PHASES = ['scheduled', 'greenroom', 'live', 'ended'] as const;
export const StagePhase = z.enum(STAGE_PHASES);
export type StagePhase = z.infer<typeof StagePhase>;

export const LIMITS_STAGE = { handNoteMaxLength: 140 } as const;

/** kind `lifecycle`, id `main`: where the event is. */
export interface StageLifecycle {
  phase: StagePhase;
  /** ISO instants: when the green room opened, the event went live, it ended (null until then). */
  greenroomAt: string | null;
  liveAt: string | null;
  endedAt: string | null;
}

/** kind `spotlight`, id `main`: the participant identity (user id) a moderator put in focus, or null. */
export interface StageSpotlight {
  identity: string | null;
}

/** kind `audience`, id `main`: live audience counts, kept in Redis from LiveKit webhooks. */
export interface StageAudience {
  now: number;
  peak: number;
}

export const HAND_STATES = ['raised', 'invited', 'onstage'] as const;
export type HandState = (typeof HAND_STATES)[number];

/**
 * kind `hand`, id = user id. Staff see every raised hand; the audience projection hides hands
 * (each person learns their own through `stage:you`).
 */
export interface StageHand {
  userId: string;
  displayName: string;
  note: string;
  state: HandState;
  raisedAt: string;
}

/** The whole stage state (a snapshot): `hands` is empty for the audience. */
export interface StageState {
  lifecycle: StageLifecycle;
  spotlight: StageSpotlight;
  audience: StageAudience;
  hands: Record<string, StageHand>;
  /** The viewer's own hand, if any (so a reload keeps "your hand is raised"). */
  myHand: StageHand | null;
}

export const StagePhaseInput = liveWrite({ phase: z.enum(['greenroom', 'live', 'ended']) });
export const StageHandInput = liveWrite({
  raised: z.boolean(),
  note: humanText(LIMITS_STAGE.handNoteMaxLength).optional(),
});
/** A moderator acting on one person (by user id = LiveKit identity). */
export const StagePersonInput = liveWrite({ userId: z.string().min(1).max(64) });
export const StageSpotlightInput = liveWrite({ userId: z.string().min(1).max(64).nullable() });

export type StagePhaseInput = z.infer<typeof StagePhaseInput>;
export type StageHandInput = z.infer<typeof StageHandInput>;
export type StagePersonInput = z.infer<typeof StagePersonInput>;
export type StageSpotlightInput = z.infer<typeof StageSpotlightInput>;

/** The schema of each of this feature's client events (merged into CLIENT_EVENT_SCHEMAS). */
export const STAGE_EVENT_SCHEMAS = {
  /** Staff: open the green room, go live, end. A second "go live" is refused with `conflict`. */
  'stage:phase': StagePhaseInput,
  /** Audience: raise (with an optional note) or lower a hand. */
  'stage:hand': StageHandInput,
  /** Staff: invite a raised hand on stage (our server grants publish through LiveKit). */
  'stage:invite': StagePersonInput,
  /** Staff: send someone brought on stage back to the audience (publish revoked, tracks unpublished). */
  'stage:send-back': StagePersonInput,
  /** Staff: mute a participant's microphone. */
  'stage:mute': StagePersonInput,
  /** Staff: stop a participant's screen share. */
  'stage:stop-share': StagePersonInput,
  /** Staff: remove a participant from the LiveKit room. */
  'stage:remove': StagePersonInput,
  /** Staff: put one speaker in focus, or nobody (null). */
  'stage:spotlight': StageSpotlightInput,
} as const;

/** This feature's client events: each takes one payload and an acknowledgement. */
export interface StageClientEvents {
  'stage:phase': (p: StagePhaseInput, ack: Ack<StageLifecycle>) => void;
  'stage:hand': (p: StageHandInput, ack: Ack<StageHand | null>) => void;
  'stage:invite': (p: StagePersonInput, ack: Ack<StageHand>) => void;
  'stage:send-back': (p: StagePersonInput, ack: Ack<null>) => void;
  'stage:mute': (p: StagePersonInput, ack: Ack<null>) => void;
  'stage:stop-share': (p: StagePersonInput, ack: Ack<null>) => void;
  'stage:remove': (p: StagePersonInput, ack: Ack<null>) => void;
  'stage:spotlight': (p: StageSpotlightInput, ack: Ack<StageSpotlight>) => void;
}

/** Sent to one person (their user room) when their own stage situation changes. */
export interface StageYou {
  slug: string;
  hand: StageHand | null;
  /** True once our server has granted them publish permission in the LiveKit room. */
  canPublish: boolean;
}

/** Events the server pushes for this feature besides `live:delta`. */
export interface StageServerEvents {
  'stage:you': (payload: StageYou) => void;
}

/** Per-person attendance from LiveKit webhooks (organizers read it over REST). */
export interface AttendanceRecord {
  userId: string;
  displayName: string;
  role: string;
  sessions: { joinedAt: string; leftAt: string | null }[];
}

export interface AttendanceReport {
  peakAudience: number;
  audienceNow: number;
  people: AttendanceRecord[];
  liveSessions: { startedAt: string; endedAt: string | null }[];
}
