/**
 * Who is in the stage's LiveKit room, as the stage records it: LiveKit's webhooks (participant
 * joined and left, room finished) become attendance, the live audience count and live sessions,
 * and the reconcile (reconcile.ts) repairs what lost webhooks left wrong. Both go through one rule
 * (`attendeeOf`) and the same JOINED / LEFT writes, idempotent by participant sid.
 */
import type { ParticipantInfo, WebhookEvent } from 'livekit-server-sdk';
import type { StageHand } from '@colloquy/shared';
import type { FeatureDeps } from '../live/feature.ts';
import type { LuaScript } from '../live/lua.ts';
import type { LiveWriteResult } from '../live/ops.ts';
import type { EventRecord } from '../events/store.ts';
import { audienceReconciler, type AudienceReconciler } from './reconcile.ts';
import type { StageRoom } from './room.ts';
import { FINISHED, JOINED, LEFT } from './scripts.ts';
import { defaultPhase, stageKeys, type Attendee, type StageStore } from './store.ts';
import { eventIdOfRoom, roomName } from './tokens.ts';

export interface AttendanceDeps {
  d: FeatureDeps;
  store: StageStore;
  room: StageRoom;
  /** The stage's system write (versioned and broadcast, no op id). */
  system<D>(
    event: EventRecord,
    script: LuaScript,
    keys: string[],
    args: (string | number)[],
  ): Promise<LiveWriteResult<D>>;
  /** Grants publish to an invited person now in the room (feature.ts). */
  bringOnStage(event: EventRecord, hand: StageHand): Promise<StageHand>;
  reconcileMs: number;
}

export interface StageAttendance extends AudienceReconciler {
  /** A verified, deduplicated LiveKit webhook (webhooks.ts). */
  webhook(e: WebhookEvent): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function stageAttendance({
  d,
  store,
  room,
  system,
  bringOnStage,
  reconcileMs,
}: AttendanceDeps): StageAttendance {
  /** The role a LiveKit identity has at the event (server-side), or null for someone we do not know. */
  async function roleOf(eventId: string, identity: string): Promise<string | null> {
    if (identity.length === 0 || identity.length > 64) return null;
    if (await d.auth.organizers.get(identity)) return 'organizer';
    return d.auth.roles.get(eventId, identity);
  }

  /**
   * Who a LiveKit participant is to the stage, the one rule webhooks and the reconcile share: an
   * identity with a role at the event (or an organizer), in the audience count when that role is
   * `audience`; null for anyone else (the recorder, identities we do not know).
   */
  async function attendeeOf(event: EventRecord, p: ParticipantInfo, atMs: number): Promise<Attendee | null> {
    if (!p.identity || !p.sid) return null;
    const role = await roleOf(event.id, p.identity);
    if (!role) return null;
    return {
      sid: p.sid,
      identity: p.identity,
      name: (p.name || '').slice(0, 200),
      role,
      joinedMs: Number(p.joinedAtMs ?? 0n) || Number(p.joinedAt ?? 0n) * 1000 || atMs,
      audience: role === 'audience',
    };
  }

  /** Records a participant in the room (participant_joined), then grants publish to an invited one. */
  async function joined(event: EventRecord, a: Attendee): Promise<void> {
    const k = stageKeys(event.id);
    await system(
      event,
      JOINED,
      [k.lifecycle, k.present, k.gone, k.audience, k.attendance, k.sessions],
      [a.sid, a.identity, a.name, a.role, iso(a.joinedMs), a.audience ? '1' : '0', defaultPhase(event.status)],
    );
    // Joined after being invited (with a token from before the invitation): grant publish now.
    const hand = await store.hand(event.id, a.identity);
    if (hand?.state === 'invited') await bringOnStage(event, hand);
  }

  /** Records a participant's leaving (participant_left). */
  async function left(event: EventRecord, a: Attendee, leftMs: number): Promise<void> {
    const k = stageKeys(event.id);
    await system(
      event,
      LEFT,
      [k.lifecycle, k.present, k.gone, k.audience, k.attendance],
      [a.sid, a.identity, a.name, a.role, iso(a.joinedMs), iso(Math.max(leftMs, a.joinedMs))],
    );
  }

  const reconciler = audienceReconciler(
    {
      store,
      catalogue: d.catalogue,
      lifecycle: d.lifecycle,
      log: d.log,
      now: d.now,
      phase: async (event) => (await store.lifecycle(event)).phase,
      participants: (event) => room.list(roomName(event.id)),
      attendeeOf,
      joined,
      left,
    },
    reconcileMs,
  );

  return {
    ...reconciler,
    async webhook(e) {
      const eventId = eventIdOfRoom(e.room?.name);
      if (!eventId) return;
      const event = await d.catalogue.events.get(eventId);
      if (!event) return;
      const k = stageKeys(event.id);
      const atMs = Number(e.createdAt ?? 0n) * 1000 || d.now().getTime();

      if (e.event === 'room_finished') {
        await system(
          event,
          FINISHED,
          [k.lifecycle, k.present, k.gone, k.audience, k.attendance, k.sessions],
          [iso(atMs)],
        );
        return;
      }
      if (e.event !== 'participant_joined' && e.event !== 'participant_left') return;
      if (!e.participant?.identity || !e.participant.sid) return;
      const a = await attendeeOf(event, e.participant, atMs);
      if (!a) {
        d.log.info({ eventId }, 'ignoring a LiveKit participant we do not know');
        return;
      }
      if (e.event === 'participant_joined') await joined(event, a);
      else await left(event, a, atMs);
    },
  };
}
