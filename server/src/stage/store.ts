/**
 * The stage's Redis state, per event: lifecycle, spotlight, raised hands, the live audience count
 * (from LiveKit webhooks and the reconcile), attendance and live sessions: the keys and the reads.
 * Every write is a live-write Lua body (scripts.ts), atomic with its op-id dedupe and the feature's
 * version.
 *
 * Keys (cq:stage:{eventId}:…):
 *   lifecycle   string, JSON StageLifecycle (absent: the phase follows the catalogue status)
 *   spotlight   string, a participant identity
 *   hands       hash, user id → JSON StageHand
 *   audience    hash, now / peak
 *   present     hash, LiveKit participant sid → identity, for audience members in the room now
 *   gone        set of participant sids that left (a late or replayed "joined" cannot count them again)
 *   attendance  hash, user id → JSON { userId, displayName, role, sessions: [{ sid, joinedAt, leftAt }] }
 *   sessions    list of JSON { startedAt, endedAt }: the event's live sessions
 */
import type {
  AttendanceReport,
  EventStatus,
  StageAudience,
  StageHand,
  StageLifecycle,
  StagePhase,
  StageState,
} from '@colloquy/shared';
import type { EventRecord } from '../events/store.ts';
import { versionKey } from '../live/ops.ts';
import { PREFIX, type Redis } from '../store/redis.ts';

export const stageKeys = (eventId: string) => {
  const k = (name: string) => `${PREFIX}stage:${eventId}:${name}`;
  return {
    lifecycle: k('lifecycle'),
    spotlight: k('spotlight'),
    hands: k('hands'),
    audience: k('audience'),
    present: k('present'),
    gone: k('gone'),
    attendance: k('attendance'),
    sessions: k('sessions'),
  };
};

/** Where an event is when nobody has moved it yet: from the catalogue's status. */
export const defaultPhase = (status: EventStatus): StagePhase => status;

/** A LiveKit participant session as the stage records it (feature.ts `attendeeOf`, the reconcile). */
export interface Attendee {
  sid: string;
  identity: string;
  name: string;
  role: string;
  joinedMs: number;
  /** Counted in the live audience (their role at the event is `audience`). */
  audience: boolean;
}

/** Who we hold as in the room: present audience sids, open and closed attendance sessions by sid. */
export interface Roster {
  present: Map<string, string>;
  open: Map<string, Attendee>;
  closed: Set<string>;
}

type StoredAttendance = {
  userId: string;
  displayName: string;
  role: string;
  sessions: { sid: string; joinedAt: string; leftAt: string | null }[];
};

const parse = <T>(raw: string | null | undefined): T | null => (raw ? (JSON.parse(raw) as T) : null);

export function lifecycleOf(raw: string | null, status: EventStatus): StageLifecycle {
  return parse<StageLifecycle>(raw) ?? { phase: defaultPhase(status), greenroomAt: null, liveAt: null, endedAt: null };
}

const audienceOf = (h: Record<string, string>): StageAudience => ({
  now: Number(h.now ?? 0),
  peak: Number(h.peak ?? 0),
});

export class StageStore {
  private readonly redis: Redis;
  constructor(redis: Redis) {
    this.redis = redis;
  }

  async lifecycle(event: EventRecord): Promise<StageLifecycle> {
    return lifecycleOf(await this.redis.get(stageKeys(event.id).lifecycle), event.status);
  }

  async hand(eventId: string, userId: string): Promise<StageHand | null> {
    return parse<StageHand>(await this.redis.hGet(stageKeys(eventId).hands, userId));
  }

  /** The whole state for one viewer, read atomically with the feature's version. */
  async snapshot(
    event: EventRecord,
    viewer: { staff: boolean; userId: string | null },
  ): Promise<{ version: number; state: StageState }> {
    const k = stageKeys(event.id);
    const [version, lc, spotlight, audience, hands] = (await this.redis
      .multi()
      .get(versionKey(event.id, 'stage'))
      .get(k.lifecycle)
      .get(k.spotlight)
      .hGetAll(k.audience)
      .hGetAll(k.hands)
      .exec()) as unknown as [
      string | null,
      string | null,
      string | null,
      Record<string, string>,
      Record<string, string>,
    ];
    const all = Object.fromEntries(Object.entries(hands).map(([id, raw]) => [id, JSON.parse(raw) as StageHand]));
    return {
      version: Number(version ?? 0),
      state: {
        lifecycle: lifecycleOf(lc, event.status),
        spotlight: { identity: spotlight },
        audience: audienceOf(audience),
        hands: viewer.staff ? all : {},
        myHand: (viewer.userId && all[viewer.userId]) || null,
      },
    };
  }

  async attendance(eventId: string): Promise<AttendanceReport> {
    const k = stageKeys(eventId);
    const [audience, people, sessions] = (await this.redis
      .multi()
      .hGetAll(k.audience)
      .hGetAll(k.attendance)
      .lRange(k.sessions, 0, -1)
      .exec()) as unknown as [Record<string, string>, Record<string, string>, string[]];
    type Stored = StoredAttendance;
    const records = Object.values(people).map((raw) => JSON.parse(raw) as Stored);
    const first = (r: Stored) => r.sessions.map((s) => s.joinedAt).sort()[0] ?? '';
    records.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
    const a = audienceOf(audience);
    return {
      peakAudience: a.peak,
      audienceNow: a.now,
      people: records.map((r) => ({
        userId: r.userId,
        displayName: r.displayName,
        role: r.role,
        sessions: r.sessions
          .map((s) => ({ joinedAt: s.joinedAt, leftAt: s.leftAt ?? null }))
          .sort((x, y) => (x.joinedAt < y.joinedAt ? -1 : x.joinedAt > y.joinedAt ? 1 : 0)),
      })),
      liveSessions: sessions.map((raw) => JSON.parse(raw) as { startedAt: string; endedAt: string | null }),
    };
  }

  /** Present sids and attendance sessions, read together (the reconcile compares them with LiveKit). */
  async roster(eventId: string, nowMs: number): Promise<Roster> {
    const k = stageKeys(eventId);
    const [present, people] = (await this.redis.multi().hGetAll(k.present).hGetAll(k.attendance).exec()) as unknown as [
      Record<string, string>,
      Record<string, string>,
    ];
    const r: Roster = { present: new Map(Object.entries(present)), open: new Map(), closed: new Set() };
    for (const raw of Object.values(people)) {
      const rec = JSON.parse(raw) as StoredAttendance;
      for (const s of rec.sessions) {
        if (s.leftAt !== null && s.leftAt !== undefined) r.closed.add(s.sid);
        else {
          const joinedMs = Date.parse(s.joinedAt);
          r.open.set(s.sid, {
            sid: s.sid,
            identity: rec.userId,
            name: rec.displayName,
            role: rec.role,
            joinedMs: Number.isFinite(joinedMs) ? joinedMs : nowMs,
            audience: rec.role === 'audience',
          });
        }
      }
    }
    // Counted without an open session (JOINED and LEFT never leave it so; cheap to cover anyway).
    for (const [sid, identity] of r.present) {
      if (!r.open.has(sid)) {
        r.open.set(sid, { sid, identity, name: identity, role: 'audience', joinedMs: nowMs, audience: true });
      }
    }
    return r;
  }
}
