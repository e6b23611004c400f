/**
 * The chat feature: messages (live writes through the op-id wrapper), moderators' deletes, mutes,
 * bans, slow mode and the on/off switch; emoji reactions; and the moderation events (reports and
 * their review) whose queue rides in chat's staff projection. Also mounts the word filter's
 * organizer routes. See docs/protocol.md ("Chat, reactions and moderation").
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import {
  ChatMessageId,
  LIMITS_CHAT,
  type CHAT_EVENT_SCHEMAS,
  type ChatMessage,
  type ChatRestriction,
  type ChatSettings,
} from '@colloquy/shared';
import { RateLimitedError } from '../auth/ratelimit.ts';
import { AppError } from '../http/errors.ts';
import type { Feature, FeatureDeps } from '../live/feature.ts';
import { isStaff } from '../live/registry.ts';
import { closeReportsOf, reportHandlers } from '../moderation/reports.ts';
import { wordFilterRoutes } from '../moderation/routes.ts';
import { userRoom } from '../realtime/rooms.ts';
import { PREFIX, type Redis } from '../store/redis.ts';
import { ReactionHub } from './reactions.ts';
import { chatKeys, DELETE, readMessage, readSnapshot, RESTRICT, SEND, SETTINGS, type StoredMessage } from './store.ts';

/** Slow mode's refusal: when the person may write again. */
export class SlowModeError extends AppError {
  readonly retryAfterMs: number;
  constructor(seconds: number, retryAfterMs: number) {
    const wait = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('rate_limited', `Slow mode is on: one message every ${seconds} s. You can write again in ${wait} s.`);
    this.retryAfterMs = retryAfterMs;
  }
  override toBody() {
    return { ...super.toBody(), retryAfterMs: this.retryAfterMs };
  }
}

function limiter(redis: Redis, name: string, points: number, duration: number) {
  const l = new RateLimiterRedis({
    storeClient: redis,
    useRedisPackage: true,
    keyPrefix: `${PREFIX}rl:${name}`,
    points,
    duration,
  });
  return async (key: string) => {
    try {
      await l.consume(key, 1);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new RateLimitedError(err.msBeforeNext);
      throw err;
    }
  };
}

const closed = (event: { status: string }) => {
  if (event.status === 'ended') throw new AppError('conflict', 'This event has ended: its chat is closed');
};

export function chatFeature(d: FeatureDeps): Feature<keyof typeof CHAT_EVENT_SCHEMAS> {
  const { redis } = d;
  const messageLimit = limiter(redis, 'chat-message', LIMITS_CHAT.messagesPerWindow, LIMITS_CHAT.messageWindowSeconds);
  const reactionLimit = limiter(
    redis,
    'chat-reaction',
    LIMITS_CHAT.reactionsPerWindow,
    LIMITS_CHAT.reactionWindowSeconds,
  );
  const reactions = new ReactionHub(redis, d.io);

  d.live.register({
    feature: 'chat',
    snapshot: (event, viewer) => readSnapshot(redis, event, { userId: viewer.userId, staff: isStaff(viewer.role) }),
  });

  const deleteMessage = async (event: { id: string; slug: string }, id: string): Promise<boolean> => {
    try {
      await d.live.writer.system(DELETE, {
        feature: 'chat',
        eventId: event.id,
        slug: event.slug,
        keys: [chatKeys(event.id).msgs],
        args: [id],
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return false;
      throw err;
    }
    await closeReportsOf(d, event, 'message', id);
    return true;
  };

  d.moderation.registerReportTarget('message', {
    async describe(eventId, id) {
      if (!ChatMessageId.safeParse(id).success) return null;
      const m = await readMessage(redis, eventId, id);
      return m ? { text: m.text, authorId: m.authorId, authorName: m.authorName } : null;
    },
    remove: deleteMessage,
  });

  return {
    socketHandlers: {
      'chat:send': {
        action: 'chat:send',
        eventSlug: (p) => p.slug,
        async run(_socket, p, { event, role, principal }) {
          const ev = event!;
          const me = principal!;
          closed(ev);
          await messageLimit(me.userId);
          const blocked = (await d.moderation.blockedWords(p.text)).length > 0;
          const k = chatKeys(ev.id);
          const stored: StoredMessage = {
            text: p.text,
            authorName: me.displayName,
            authorRole: role === 'visitor' ? 'audience' : role,
            at: d.now().toISOString(),
            authorId: me.userId,
          };
          try {
            const r = await d.live.writer.run<ChatMessage>(SEND, {
              feature: 'chat',
              eventId: ev.id,
              slug: ev.slug,
              userId: me.userId,
              opId: p.opId,
              name: 'chat:send',
              payload: p,
              keys: [k.msgs, k.settings, k.restricted, k.names, k.slow(me.userId)],
              args: [
                JSON.stringify(stored),
                me.userId,
                me.displayName,
                isStaff(role) ? '1' : '0',
                blocked ? '1' : '0',
                LIMITS_CHAT.keptMessages,
              ],
            });
            return { data: r.data, version: r.version };
          } catch (err) {
            if (err instanceof AppError && err.code === 'rate_limited') {
              const [wait, slow] = await Promise.all([redis.pTTL(k.slow(me.userId)), redis.hGet(k.settings, 'slow')]);
              throw new SlowModeError(Number(slow ?? 0), Math.max(wait, 1));
            }
            throw err;
          }
        },
      },

      'chat:delete': {
        action: 'chat:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, { event, principal }) {
          const ev = event!;
          const r = await d.live.writer.run<null>(DELETE, {
            feature: 'chat',
            eventId: ev.id,
            slug: ev.slug,
            userId: principal!.userId,
            opId: p.opId,
            name: 'chat:delete',
            payload: p,
            keys: [chatKeys(ev.id).msgs],
            args: [p.id],
          });
          if (!r.replayed) await closeReportsOf(d, ev, 'message', p.id);
          return { data: null, version: r.version };
        },
      },

      'chat:restrict': {
        action: 'chat:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, { event, principal }) {
          const ev = event!;
          const [organizer, role] = await Promise.all([
            d.auth.organizers.get(p.userId),
            d.auth.roles.get(ev.id, p.userId),
          ]);
          if (organizer || role === 'moderator') {
            throw new AppError('forbidden', 'Moderators and organizers cannot be muted or banned from chat');
          }
          const k = chatKeys(ev.id);
          const r = await d.live.writer.run<ChatRestriction | null>(RESTRICT, {
            feature: 'chat',
            eventId: ev.id,
            slug: ev.slug,
            userId: principal!.userId,
            opId: p.opId,
            name: 'chat:restrict',
            payload: p,
            keys: [k.restricted, k.names, k.msgs],
            args: [p.userId, p.state, d.now().toISOString()],
          });
          d.io()
            ?.to(userRoom(p.userId))
            .emit('chat:you', { slug: ev.slug, muted: p.state === 'muted', banned: p.state === 'banned' });
          return { data: r.data, version: r.version };
        },
      },

      'chat:settings': {
        action: 'chat:moderate',
        eventSlug: (p) => p.slug,
        async run(_socket, p, { event, principal }) {
          const ev = event!;
          const r = await d.live.writer.run<ChatSettings>(SETTINGS, {
            feature: 'chat',
            eventId: ev.id,
            slug: ev.slug,
            userId: principal!.userId,
            opId: p.opId,
            name: 'chat:settings',
            payload: p,
            keys: [chatKeys(ev.id).settings],
            args: [
              p.enabled === undefined ? '' : p.enabled ? '1' : '0',
              p.slowModeSeconds === undefined ? '' : p.slowModeSeconds,
            ],
          });
          return { data: r.data, version: r.version };
        },
      },

      'reaction:send': {
        action: 'chat:react',
        eventSlug: (p) => p.slug,
        async run(_socket, p, { event, principal }) {
          const ev = event!;
          const me = principal!;
          closed(ev);
          await reactionLimit(me.userId);
          const restriction = await redis.hGet(chatKeys(ev.id).restricted, me.userId);
          if (restriction && (JSON.parse(restriction) as ChatRestriction).state === 'banned') {
            throw new AppError('forbidden', 'A moderator has removed you from this chat');
          }
          await reactions.add(ev, p.emoji);
          return { data: null };
        },
      },

      ...reportHandlers(d),
    },

    routes(api) {
      api.route(
        'get',
        '/events/:slug/chat',
        'live:read',
        async (_req, res, g) => {
          res.json(await d.live.snapshot(g.event!, 'chat', { role: g.role, userId: g.principal?.userId ?? null }));
        },
        { eventParam: 'slug' },
      );
      wordFilterRoutes(api, { auth: d.auth, moderation: d.moderation });
    },

    close() {
      reactions.close();
    },
  };
}
