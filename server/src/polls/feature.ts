/**
 * The polls feature: staff prepare drafts and launch, close and publish them; participants vote
 * (one ballot each, changeable until the poll closes). Every write is one Lua script inside the live
 * wrapper (see store.ts); the snapshot and `GET /api/events/:slug/polls` give each caller their view.
 */
import type { POLL_EVENT_SCHEMAS, Poll, PollBallot, PollsState } from '@colloquy/shared';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../http/errors.ts';
import type { Feature, FeatureDeps } from '../live/feature.ts';
import type { LuaScript } from '../live/lua.ts';
import { isStaff, type Live } from '../live/registry.ts';
import type { SocketGuarded } from '../realtime/handlers.ts';
import type { Redis } from '../store/redis.ts';
import type { EventRecord } from '../events/store.ts';
import { pollFromWire } from '@colloquy/shared';
import { pollScripts, pollWrites, readPolls } from './store.ts';

type PollEvent = keyof typeof POLL_EVENT_SCHEMAS;

const slugOf = (p: { slug: string }) => p.slug;

const notEnded = (event: EventRecord, what: string) => {
  if (event.status === 'ended') throw new AppError('conflict', `The event has ended: ${what}`);
};

export function pollsFeature(d: FeatureDeps): Feature<PollEvent> {
  d.live.register({
    feature: 'polls',
    async snapshot(event, viewer) {
      const l = await readPolls(d.redis, event.id, { staff: isStaff(viewer.role), userId: viewer.userId });
      const state: PollsState = { polls: Object.fromEntries(l.polls.map((p) => [p.id, p])), mine: l.mine };
      return { version: l.version, state };
    },
  });
  // Polls still open when the event ends are closed, so their results reach the archive.
  d.lifecycle.subscribe({
    async onEnded(eventId) {
      const event = await d.catalogue.events.get(eventId);
      if (event) await closeOpenPolls(d.live, d.redis, event, d.now());
    },
  });

  /** Runs one write through the live wrapper (op id dedupe, version, deltas). */
  async function write<D>(
    name: PollEvent,
    script: LuaScript,
    payload: { opId: string },
    g: SocketGuarded,
    kw: { keys: string[]; args: (string | number)[] },
  ): Promise<{ data: D; version: number }> {
    const event = g.event!;
    const r = await d.live.writer.run<D>(script, {
      feature: 'polls',
      eventId: event.id,
      slug: event.slug,
      userId: g.principal!.userId,
      opId: payload.opId,
      name,
      payload,
      ...kw,
    });
    return { data: r.data, version: r.version };
  }
  const asPoll = (r: { data: Poll; version: number }) => ({ data: pollFromWire(r.data), version: r.version });
  const now = () => d.now().toISOString();
  /** Moves a poll (open, close, publish, unpublish): one script, the whole poll back. */
  const transition = async (
    name: PollEvent,
    p: { opId: string; pollId: string },
    g: SocketGuarded,
    t: 'open' | 'close' | 'publish' | 'unpublish',
  ) =>
    asPoll(
      await write<Poll>(
        name,
        pollScripts.TRANSITION,
        p,
        g,
        pollWrites.transition({ eventId: g.event!.id }, p.pollId, t, now()),
      ),
    );

  return {
    socketHandlers: {
      'polls:create': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: async (_s, p, g) =>
          asPoll(
            await write<Poll>(
              'polls:create',
              pollScripts.CREATE,
              p,
              g,
              pollWrites.create({ eventId: g.event!.id }, uuidv7(), p, now()),
            ),
          ),
      },
      'polls:update': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: async (_s, p, g) =>
          asPoll(
            await write<Poll>(
              'polls:update',
              pollScripts.UPDATE,
              p,
              g,
              pollWrites.update({ eventId: g.event!.id }, p.pollId, p),
            ),
          ),
      },
      'polls:delete': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: (_s, p, g) =>
          write<null>('polls:delete', pollScripts.DELETE, p, g, pollWrites.delete({ eventId: g.event!.id }, p.pollId)),
      },
      'polls:open': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: async (_s, p, g) => {
          notEnded(g.event!, 'polls can no longer be launched');
          return transition('polls:open', p, g, 'open');
        },
      },
      'polls:close': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: (_s, p, g) => transition('polls:close', p, g, 'close'),
      },
      'polls:publish': {
        action: 'polls:manage',
        eventSlug: slugOf,
        run: (_s, p, g) => transition('polls:publish', p, g, p.published ? 'publish' : 'unpublish'),
      },
      'polls:vote': {
        action: 'polls:vote',
        eventSlug: slugOf,
        run: async (_s, p, g) => {
          notEnded(g.event!, 'voting is closed');
          return write<PollBallot>(
            'polls:vote',
            pollScripts.VOTE,
            p,
            g,
            pollWrites.vote({ eventId: g.event!.id }, p.pollId, g.principal!.userId, p.choices),
          );
        },
      },
    },

    routes(api) {
      // The caller's view: staff see drafts and all results; participants see launched polls, with
      // results once published (also after the event ended, for the archive), and their own ballots.
      api.route(
        'get',
        '/events/:slug/polls',
        'live:read',
        async (_req, res, g) => {
          res.json(
            await readPolls(d.redis, g.event!.id, { staff: isStaff(g.role), userId: g.principal?.userId ?? null }),
          );
        },
        { eventParam: 'slug' },
      );
    },
  };
}

/**
 * Closes every poll still open (a server write: versioned and broadcast, no op id). For whoever
 * ends the event, so the archive (closedPollsWithResults) has every launched poll.
 */
export async function closeOpenPolls(live: Live, redis: Redis, event: EventRecord, now: Date): Promise<number> {
  const { polls } = await readPolls(redis, event.id, { staff: true, userId: null });
  let closed = 0;
  for (const p of polls.filter((x) => x.state === 'open')) {
    try {
      await live.writer.system(pollScripts.TRANSITION, {
        feature: 'polls',
        eventId: event.id,
        slug: event.slug,
        ...pollWrites.transition({ eventId: event.id }, p.id, 'close', now.toISOString()),
      });
      closed++;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err; // closed meanwhile
    }
  }
  return closed;
}

export { closedPollsWithResults } from './store.ts';
