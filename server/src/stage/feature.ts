/**
 * The stage feature: the lifecycle (scheduled → green room → live → ended), raised hands and
 * bringing an audience member on stage, moderator controls over the LiveKit room, LiveKit tokens,
 * and attendance from LiveKit webhooks, reconciled with LiveKit's participant list while live
 * (attendance.ts, reconcile.ts). State lives in Redis (store.ts) and changes through live writes
 * (scripts.ts), so every client sees the same versioned state; LiveKit is driven by our server only.
 */
import { TrackSource, type ParticipantInfo, type WebhookEvent } from 'livekit-server-sdk';
import type {
  EventStatus,
  HandState,
  STAGE_EVENT_SCHEMAS,
  StageHand,
  StageLifecycle,
  StageSpotlight,
  StageYou,
} from '@colloquy/shared';
import type { Feature, FeatureDeps } from '../live/feature.ts';
import { isStaff } from '../live/registry.ts';
import type { LuaScript } from '../live/lua.ts';
import type { SocketGuarded } from '../realtime/handlers.ts';
import { eventRoom, userRoom } from '../realtime/rooms.ts';
import { AppError } from '../http/errors.ts';
import { inputOf } from '../events/collection.ts';
import type { EventRecord } from '../events/store.ts';
import { publishLevelFor, roomName } from './tokens.ts';
import { StageRoom } from './room.ts';
import { livekitTokenRoute } from './routes.ts';
import { DEFAULT_RECONCILE_MS, type ReconcileResult } from './reconcile.ts';
import { stageAttendance } from './attendance.ts';
import { HAND, INVITE, PHASE, PROMOTE, SEND_BACK, SPOTLIGHT } from './scripts.ts';
import { StageStore, defaultPhase, stageKeys } from './store.ts';

type StageEvents = keyof typeof STAGE_EVENT_SCHEMAS;

export interface StageFeature extends Feature<StageEvents> {
  /** A verified, deduplicated LiveKit webhook (webhooks.ts): attendance, audience counts, sessions. */
  webhook(e: WebhookEvent): Promise<void>;
  /**
   * An organizer changed the event's status in the admin form. Going live, or ending a live stage,
   * moves the stage exactly as the console does (hooks, room, broadcast) and answers 'moved'; a status
   * the stage agrees with, or any status for a stage never driven from the console, is the form's to
   * save ('save'). Anything else (back from ended, ending a stage that never went live) is refused
   * with `conflict`. `check` only answers, changing nothing.
   */
  statusFromAdmin(event: EventRecord, to: EventStatus, check?: 'check'): Promise<'moved' | 'save'>;
  /**
   * Compares the audience count and attendance with LiveKit's participant list and records the
   * joins and leaves whose webhooks were lost (reconcile.ts). Runs by itself every `reconcileMs`
   * while the event is live; callable directly (tests).
   */
  reconcileAudience(event: EventRecord): Promise<ReconcileResult>;
  /** The ids of the events whose reconcile timer runs (tests). */
  reconcileWatching(): string[];
  store: StageStore;
  close(): Promise<void>;
}

export interface StageOptions {
  /** How often a live event's audience is reconciled with LiveKit (ms); 30 s by default, 0 for never. */
  reconcileMs?: number;
}

/** The catalogue status that goes with a phase (the green room is still "scheduled" in listings). */
const STATUS_OF: Record<StageLifecycle['phase'], EventStatus> = {
  scheduled: 'scheduled',
  greenroom: 'scheduled',
  live: 'live',
  ended: 'ended',
};

/** How a refusal of the admin form's status names the stage's phase. */
const PHASE_WORDS: Record<StageLifecycle['phase'], string> = {
  scheduled: 'scheduled',
  greenroom: 'in the green room',
  live: 'live',
  ended: 'over',
};
/** A status change the stage cannot take, shown at the form's Status field. */
const refuseStatus = (message: string) => new AppError('conflict', message, [{ path: ['status'], message }]);

const onStage = (state: HandState | '' | undefined) => state === 'invited' || state === 'onstage';
const asArray = <T>(v: T[] | Record<string, never> | undefined): T[] => (Array.isArray(v) ? v : []);

export function stageFeature(d: FeatureDeps, options: StageOptions = {}): StageFeature {
  const store = new StageStore(d.redis);
  const room = new StageRoom(d.livekit);

  d.live.register({
    feature: 'stage',
    snapshot: (event, viewer) => store.snapshot(event, { staff: isStaff(viewer.role), userId: viewer.userId }),
  });

  /** A client's live write on the stage of the event it named, deduped by its op id. */
  const write = <D>(
    g: SocketGuarded,
    name: StageEvents,
    payload: { opId: string },
    script: LuaScript,
    keys: string[],
    args: (string | number)[],
  ) =>
    d.live.writer.run<D>(script, {
      feature: 'stage',
      eventId: g.event!.id,
      slug: g.event!.slug,
      userId: g.principal!.userId,
      opId: payload.opId,
      name,
      payload,
      keys,
      args,
    });

  /** A moderator's action on LiveKit, done once per op id: a retry answers as the first time. */
  const once = async (g: SocketGuarded, name: StageEvents, payload: { opId: string }, act: () => Promise<void>) => {
    await d.live.writer.once(
      { eventId: g.event!.id, userId: g.principal!.userId, opId: payload.opId, name, payload },
      async () => {
        await act();
        return null;
      },
    );
    return { data: null };
  };

  const system = <D>(event: EventRecord, script: LuaScript, keys: string[], args: (string | number)[]) =>
    d.live.writer.system<D>(script, { feature: 'stage', eventId: event.id, slug: event.slug, keys, args });

  /** Tells one person (all their tabs) where they stand on the stage. */
  const tellYou = (event: EventRecord, userId: string, hand: StageHand | null) => {
    const you: StageYou = { slug: event.slug, hand, canPublish: hand?.state === 'onstage' };
    d.io()?.to(userRoom(userId)).emit('stage:you', you);
  };

  /**
   * Grants an invited person camera and microphone in the room, when they are in it, and marks
   * them on stage. When they are not in the room yet, their next token carries the grant and the
   * participant_joined webhook finishes the job.
   */
  async function bringOnStage(event: EventRecord, hand: StageHand): Promise<StageHand> {
    let now = hand;
    if (await room.setPublish(roomName(event.id), hand.userId, 'guest')) {
      const promoted = await system<StageHand | null>(event, PROMOTE, [stageKeys(event.id).hands], [hand.userId]);
      now = promoted.data ?? hand;
    }
    tellYou(event, hand.userId, now);
    return now;
  }

  /** Keeps the catalogue's status (listings, the event page) and the room in step with the phase. */
  async function afterPhase(event: EventRecord, lc: StageLifecycle, version: number): Promise<void> {
    const status = STATUS_OF[lc.phase];
    const fresh = await d.catalogue.events.get(event.id);
    if (fresh && fresh.status !== status) {
      await d.catalogue.putEvent({ ...inputOf(fresh), status }, fresh.origin, fresh);
    }
    d.io()?.to(eventRoom(event.id)).emit('event:status', { slug: event.slug, status, version });
    if (lc.phase === 'greenroom') void d.lifecycle.onGreenroom(event.id);
    if (lc.phase === 'live') void d.lifecycle.onLive(event.id);
    if (lc.phase === 'ended') {
      await d.lifecycle.onEnded(event.id);
      try {
        await room.close(roomName(event.id));
      } catch (err) {
        d.log.warn({ err, eventId: event.id }, 'could not close the LiveKit room of an ended event');
      }
    }
  }

  /** Who the target is, for the checks every action on a participant makes. */
  async function targetOf(g: SocketGuarded, userId: string, verb: string) {
    if (g.role !== 'organizer' && (await d.auth.organizers.get(userId))) {
      throw new AppError('forbidden', `A moderator cannot ${verb} an organizer`);
    }
    const participant = await room.participant(roomName(g.event!.id), userId);
    if (!participant) throw new AppError('not_found', 'That person is not in the stage room');
    return participant;
  }

  /** What the person may publish now: a speaker or staff member everything, an invited guest camera and mic. */
  async function levelOf(event: EventRecord, userId: string) {
    if (await d.auth.organizers.get(userId)) return 'stage' as const;
    const role = (await d.auth.roles.get(event.id, userId)) ?? 'audience';
    return publishLevelFor(role, onStage((await store.hand(event.id, userId))?.state));
  }

  const trackOf = (p: ParticipantInfo, sources: TrackSource[]) => p.tracks.filter((t) => sources.includes(t.source));

  const attendance = stageAttendance({
    d,
    store,
    room,
    system,
    bringOnStage,
    reconcileMs: options.reconcileMs ?? DEFAULT_RECONCILE_MS,
  });

  async function statusFromAdmin(event: EventRecord, to: EventStatus, check?: 'check'): Promise<'moved' | 'save'> {
    const k = stageKeys(event.id);
    const lc = await store.lifecycle(event);
    if (STATUS_OF[lc.phase] === to) return 'save';
    const viaStage = to === 'live' || (to === 'ended' && lc.phase === 'live');
    if (!viaStage) {
      if (!(await d.redis.exists(k.lifecycle))) return 'save';
      throw refuseStatus(`The panel is ${PHASE_WORDS[lc.phase]}: its status cannot go back to ${to}`);
    }
    if (to === 'live' && lc.phase === 'ended') throw refuseStatus('The panel has ended: it cannot go live again');
    if (check) return 'moved';
    const r = await system<{ lifecycle: StageLifecycle; cleared: string[] | Record<string, never> }>(
      event,
      PHASE,
      [k.lifecycle, k.sessions, k.hands, k.spotlight],
      [to, d.now().toISOString(), defaultPhase(event.status)],
    );
    await afterPhase(event, r.data.lifecycle, r.version);
    for (const uid of asArray(r.data.cleared)) tellYou(event, uid, null);
    return 'moved';
  }

  return {
    store,
    statusFromAdmin,
    socketHandlers: {
      'stage:phase': {
        action: 'stage:lifecycle',
        eventSlug: (p) => p.slug,
        async run(_socket, p, g) {
          const event = g.event!;
          const k = stageKeys(event.id);
          const r = await write<{ lifecycle: StageLifecycle; cleared: string[] | Record<string, never> }>(
            g,
            'stage:phase',
            p,
            PHASE,
            [k.lifecycle, k.sessions, k.hands, k.spotlight],
            [p.phase, d.now().toISOString(), defaultPhase(event.status)],
          );
          // A retried op id answers as the first time; the side effects follow where the event is now.
          await afterPhase(event, r.replayed ? await store.lifecycle(event) : r.data.lifecycle, r.version);
          if (!r.replayed) for (const uid of asArray(r.data.cleared)) tellYou(event, uid, null);
          return { data: r.data.lifecycle, version: r.version };
        },
      },
      'stage:hand': {
        action: 'stage:hand',
        eventSlug: (p) => p.slug,
        async run(_socket, p, g) {
          const event = g.event!;
          const me = g.principal!;
          await d.auth.limits.stageHand(me.userId);
          const k = stageKeys(event.id);
          const r = await write<{ hand: StageHand | null; was: HandState | '' }>(
            g,
            'stage:hand',
            p,
            HAND,
            [k.lifecycle, k.hands],
            [
              me.userId,
              p.raised ? '1' : '0',
              p.note ?? '',
              me.displayName,
              d.now().toISOString(),
              defaultPhase(event.status),
            ],
          );
          if (!r.replayed) {
            // Lowering your hand after being brought on stage is leaving the stage.
            if (!p.raised && onStage(r.data.was)) await room.setPublish(roomName(event.id), me.userId, 'none');
            tellYou(event, me.userId, r.data.hand);
          }
          return { data: r.data.hand, version: r.version };
        },
      },
      'stage:invite': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, g) {
          const r = await write<StageHand>(g, 'stage:invite', p, INVITE, [stageKeys(g.event!.id).hands], [p.userId]);
          const hand = r.replayed ? r.data : await bringOnStage(g.event!, r.data);
          return { data: hand, version: r.version };
        },
      },
      'stage:send-back': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, g) {
          const event = g.event!;
          const r = await write<{ was: HandState }>(
            g,
            'stage:send-back',
            p,
            SEND_BACK,
            [stageKeys(event.id).hands],
            [p.userId],
          );
          if (!r.replayed) {
            // livekit-server unpublishes their camera and microphone as the permission goes.
            if (onStage(r.data.was)) await room.setPublish(roomName(event.id), p.userId, 'none');
            tellYou(event, p.userId, null);
          }
          return { data: null, version: r.version };
        },
      },
      'stage:mute': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        run: (_socket, p, g) =>
          once(g, 'stage:mute', p, async () => {
            const participant = await targetOf(g, p.userId, 'mute');
            const mics = trackOf(participant, [TrackSource.MICROPHONE]);
            if (mics.length === 0) throw new AppError('not_found', 'That person has no microphone track');
            for (const t of mics) await room.mute(roomName(g.event!.id), p.userId, t.sid);
          }),
      },
      'stage:stop-share': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        run: (_socket, p, g) =>
          once(g, 'stage:stop-share', p, async () => {
            const participant = await targetOf(g, p.userId, 'stop the screen share of');
            const shares = trackOf(participant, [TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO]);
            if (shares.length === 0) throw new AppError('not_found', 'That person is not sharing a screen');
            await room.stopScreenShare(roomName(g.event!.id), p.userId, await levelOf(g.event!, p.userId));
          }),
      },
      'stage:remove': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        run: (_socket, p, g) =>
          once(g, 'stage:remove', p, async () => {
            const event = g.event!;
            if (p.userId === g.principal!.userId) throw new AppError('bad_request', 'You cannot remove yourself');
            if (g.role !== 'organizer' && (await d.auth.roles.get(event.id, p.userId)) === 'moderator') {
              throw new AppError('forbidden', 'Only an organizer can remove a moderator');
            }
            await targetOf(g, p.userId, 'remove');
            await room.remove(roomName(event.id), p.userId);
          }),
      },
      'stage:spotlight': {
        action: 'stage:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, g) {
          const event = g.event!;
          if (p.userId !== null && !(await room.participant(roomName(event.id), p.userId))) {
            throw new AppError('not_found', 'That person is not in the stage room');
          }
          const r = await write<StageSpotlight>(
            g,
            'stage:spotlight',
            p,
            SPOTLIGHT,
            [stageKeys(event.id).spotlight],
            [p.userId ?? ''],
          );
          return { data: r.data, version: r.version };
        },
      },
    },

    routes(api) {
      livekitTokenRoute(api, {
        auth: d.auth,
        livekit: {
          apiKey: d.livekit.apiKey,
          apiSecret: d.livekit.apiSecret,
          publicUrl: d.livekit.publicUrl ?? d.livekit.url,
        },
        async stageOf(event, userId) {
          const [lifecycle, hand] = await Promise.all([store.lifecycle(event), store.hand(event.id, userId)]);
          return { phase: lifecycle.phase, onStage: onStage(hand?.state) };
        },
      });
      api.route(
        'get',
        '/events/:slug/attendance',
        'attendance:read',
        async (_req, res, { event }) => {
          res.json(await store.attendance(event!.id));
        },
        { eventParam: 'slug' },
      );
    },

    webhook: (e) => attendance.webhook(e),

    reconcileAudience: (event) => attendance.reconcile(event),
    reconcileWatching: () => attendance.watching(),

    close: () => attendance.close(),
  };
}
