/**
 * Reconciles the live audience count and attendance with LiveKit's own participant list, because
 * webhooks can be lost (the app down, a relay failure). While an event is live, every `intervalMs`:
 *
 * - a participant sid we hold as present (or as an open attendance session) that LiveKit no longer
 *   lists is ended as a `participant_left` webhook would end it (left at = now);
 * - a participant LiveKit lists whom we would have recorded from `participant_joined` (the same rule,
 *   `attendeeOf`) but did not is recorded with their real `joinedAt`.
 *
 * Both go through the stage's JOINED / LEFT system writes, idempotent by sid, so a webhook arriving
 * late after a reconcile counts nobody twice. Our state is read before LiveKit is asked, so a
 * participant who joins in between is never taken for one who left. A room LiveKit does not have
 * (Twirp `not_found`) is an empty room; any other LiveKit failure changes nothing.
 *
 * Timers start on the lifecycle's `onLive` and stop on `onEnded`; the first tick after a start of
 * the server also picks up events the catalogue already says are live.
 */
import type { ParticipantInfo } from 'livekit-server-sdk';
import type { StagePhase } from '@colloquy/shared';
import type { CatalogueStore, EventRecord } from '../events/store.ts';
import type { EventLifecycle } from '../live/lifecycle.ts';
import type { Logger } from '../log/logger.ts';
import type { Attendee, StageStore } from './store.ts';

export const DEFAULT_RECONCILE_MS = 30_000;

export type ReconcileResult =
  { status: 'done'; joined: string[]; left: string[] } | { status: 'skipped'; reason: 'not-live' | 'unreachable' };

export interface ReconcileDeps {
  store: StageStore;
  catalogue: CatalogueStore;
  lifecycle: EventLifecycle;
  log: Logger;
  now(): Date;
  phase(event: EventRecord): Promise<StagePhase>;
  /** Everyone LiveKit has in the event's room; null when the room does not exist. Throws on failure. */
  participants(event: EventRecord): Promise<ParticipantInfo[] | null>;
  /** The shared rule: who this participant is to the stage, or null for someone not recorded. */
  attendeeOf(event: EventRecord, p: ParticipantInfo, atMs: number): Promise<Attendee | null>;
  joined(event: EventRecord, a: Attendee): Promise<void>;
  left(event: EventRecord, a: Attendee, leftMs: number): Promise<void>;
}

export interface AudienceReconciler {
  reconcile(event: EventRecord): Promise<ReconcileResult>;
  /** Event ids with a running timer (tests). */
  watching(): string[];
  close(): Promise<void>;
}

export function audienceReconciler(d: ReconcileDeps, intervalMs = DEFAULT_RECONCILE_MS): AudienceReconciler {
  const timers = new Map<string, NodeJS.Timeout>();
  /** The reconcile running (or queued last) per event: calls for one event run one after another. */
  const chains = new Map<string, Promise<unknown>>();
  let closed = false;

  async function once(event: EventRecord): Promise<ReconcileResult> {
    if ((await d.phase(event)) !== 'live') return { status: 'skipped', reason: 'not-live' };
    const nowMs = d.now().getTime();
    const ours = await d.store.roster(event.id, nowMs);
    let listed: ParticipantInfo[] | null;
    try {
      listed = await d.participants(event);
    } catch (err) {
      d.log.warn({ err, eventId: event.id }, 'could not list the LiveKit room: audience count left as it is');
      return { status: 'skipped', reason: 'unreachable' };
    }
    const inRoom = new Map((listed ?? []).map((p) => [p.sid, p]));

    const leaving = [...ours.open.values()].filter((a) => !inRoom.has(a.sid));
    const joining: Attendee[] = [];
    for (const p of inRoom.values()) {
      if (ours.closed.has(p.sid)) continue; // its participant_left was recorded: JOINED would ignore it
      const known = ours.open.get(p.sid);
      if (known && (ours.present.has(p.sid) || !known.audience)) continue;
      const a = await d.attendeeOf(event, p, nowMs);
      if (a) joining.push(a);
    }

    for (const a of leaving) await d.left(event, a, nowMs);
    for (const a of joining) await d.joined(event, a);
    if (leaving.length || joining.length) {
      d.log.info(
        { eventId: event.id, joined: joining.length, left: leaving.length },
        'reconciled the audience with LiveKit (webhooks were missed)',
      );
    }
    return { status: 'done', joined: joining.map((a) => a.sid), left: leaving.map((a) => a.sid) };
  }

  function reconcile(event: EventRecord): Promise<ReconcileResult> {
    const run = (chains.get(event.id) ?? Promise.resolve()).catch(() => {}).then(() => once(event));
    chains.set(event.id, run);
    const forget = () => {
      if (chains.get(event.id) === run) chains.delete(event.id);
    };
    run.then(forget, forget);
    return run;
  }

  async function tick(eventId: string): Promise<void> {
    if (closed || chains.has(eventId)) return; // the previous one is still running: skip this tick
    try {
      const event = await d.catalogue.events.get(eventId);
      const r = event ? await reconcile(event) : null;
      if (!r || (r.status === 'skipped' && r.reason === 'not-live')) stop(eventId);
    } catch (err) {
      d.log.warn({ err, eventId }, 'the audience reconcile failed');
    }
  }

  function start(eventId: string): void {
    if (closed || intervalMs <= 0 || timers.has(eventId)) return;
    const timer = setInterval(() => void tick(eventId), intervalMs);
    timer.unref();
    timers.set(eventId, timer);
  }

  function stop(eventId: string): void {
    clearInterval(timers.get(eventId));
    timers.delete(eventId);
  }

  const unsubscribe = d.lifecycle.subscribe({ onLive: start, onEnded: stop });

  /** After a (re)start: events the catalogue says are live are reconciled now and from then on. */
  async function pickUpLive(): Promise<void> {
    try {
      for (const e of await d.catalogue.events.all()) {
        if (e.status !== 'live' || timers.has(e.id)) continue;
        start(e.id);
        await tick(e.id);
      }
    } catch (err) {
      d.log.warn({ err }, 'could not look for live events to reconcile');
    }
  }
  const boot = intervalMs > 0 ? setTimeout(() => void pickUpLive(), intervalMs) : null;
  boot?.unref();

  return {
    reconcile,
    watching: () => [...timers.keys()],
    async close() {
      closed = true;
      if (boot) clearTimeout(boot);
      for (const id of [...timers.keys()]) stop(id);
      unsubscribe();
      await Promise.allSettled([...chains.values()]);
    },
  };
}
