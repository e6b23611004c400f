/**
 * Moderated Q&A: socket handlers for asking, upvoting and moderating, the REST snapshot
 * (`GET /api/events/:slug/questions`), the live snapshot, and the report target for questions.
 * Every write is one Lua script run through the live wrapper (see scripts.ts).
 */
import {
  LIMITS_QA,
  type QA_EVENT_SCHEMAS,
  type QaQuestion,
  type QaSettings,
  type QaState,
  type QaVoteResult,
} from '@colloquy/shared';
import { AppError } from '../http/errors.ts';
import type { EventRecord } from '../events/store.ts';
import type { Feature, FeatureDeps } from '../live/feature.ts';
import { versionKey } from '../live/ops.ts';
import type { LuaScript } from '../live/lua.ts';
import { isStaff, type Viewer } from '../live/registry.ts';
import type { HandlerSpec, SocketGuarded } from '../realtime/handlers.ts';
import {
  ANSWERED,
  APPROVE,
  ASK,
  DESCRIBE,
  DISMISS,
  EDIT,
  MERGE,
  PIN,
  SETTINGS,
  SNAPSHOT,
  VOTE,
  qaPrefix,
} from './scripts.ts';

type QaEvent = keyof typeof QA_EVENT_SCHEMAS;

const ASK_WINDOW_MS = 60_000;

/** Lua's cjson writes an empty array as `{}`. */
const asArray = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export function qaFeature(d: FeatureDeps): Feature<QaEvent> {
  const moderationAction = 'qa:moderate' as const;

  /** Runs a write for the caller, with the op id and payload the wrapper dedupes on. */
  async function write<D>(
    name: QaEvent,
    script: LuaScript,
    payload: { slug: string; opId: string },
    g: SocketGuarded,
    args: (string | number)[],
  ): Promise<{ data: D; version: number }> {
    const event = g.event!;
    if (event.status === 'ended') throw new AppError('conflict', 'Questions are closed: the event has ended');
    const r = await d.live.writer.run<D>(script, {
      feature: 'qa',
      eventId: event.id,
      slug: event.slug,
      userId: g.principal!.userId,
      opId: payload.opId,
      name,
      payload,
      keys: [],
      args: [qaPrefix(event.id), ...args],
    });
    return { data: r.data, version: r.version };
  }

  const now = () => d.now().toISOString();

  async function snapshot(event: EventRecord, viewer: Viewer): Promise<{ version: number; state: QaState }> {
    const staff = isStaff(viewer.role);
    const raw = (await SNAPSHOT.run(
      d.redis,
      [versionKey(event.id, 'qa')],
      [qaPrefix(event.id), staff ? '1' : '0', viewer.userId ?? ''],
    )) as string;
    const parsed = JSON.parse(raw) as {
      version: number;
      settings: QaSettings;
      questions: Record<string, QaQuestion> | unknown[];
      myVotes: unknown;
      mine: unknown;
    };
    return {
      version: parsed.version,
      state: {
        staff,
        settings: parsed.settings,
        questions: Array.isArray(parsed.questions) ? {} : parsed.questions,
        myVotes: asArray(parsed.myVotes),
        mine: asArray(parsed.mine),
      },
    };
  }

  d.live.register({ feature: 'qa', snapshot });

  d.moderation.registerReportTarget('question', {
    async describe(eventId, id) {
      if (!/^[1-9][0-9]{0,11}$/.test(id)) return null;
      const raw = (await DESCRIBE.run(d.redis, [], [qaPrefix(eventId), id])) as string | null;
      if (!raw) return null;
      const h = JSON.parse(raw) as { text: string; authorId: string; authorName: string };
      return { text: h.text, authorId: h.authorId, authorName: h.authorName };
    },
  });

  const staffOnly = <E extends QaEvent>(run: HandlerSpec<E>['run']): HandlerSpec<E> => ({
    action: moderationAction,
    eventSlug: (p) => p.slug,
    run,
  });

  const socketHandlers: { [E in QaEvent]: HandlerSpec<E> } = {
    'qa:ask': {
      action: 'qa:ask',
      eventSlug: (p) => p.slug,
      async run(_socket, p, g) {
        // The organizers' word filter sends a question to the moderators' queue (it is not refused).
        const flagged = (await d.moderation.blockedWords(p.text)).length > 0;
        const at = d.now();
        return write<QaQuestion>('qa:ask', ASK, p, g, [
          p.text,
          g.principal!.userId,
          g.principal!.displayName,
          p.anonymous ? '1' : '0',
          at.toISOString(),
          at.getTime(),
          flagged ? '1' : '0',
          LIMITS_QA.asksPerMinute,
          ASK_WINDOW_MS,
        ]);
      },
    },
    'qa:vote': {
      action: 'qa:vote',
      eventSlug: (p) => p.slug,
      run: (_socket, p, g) =>
        write<QaVoteResult>('qa:vote', VOTE, p, g, [p.questionId, g.principal!.userId, p.up ? '1' : '0']),
    },
    'qa:approve': staffOnly((_s, p, g) => write('qa:approve', APPROVE, p, g, [p.questionId])),
    'qa:dismiss': staffOnly((_s, p, g) => write('qa:dismiss', DISMISS, p, g, [p.questionId, now()])),
    'qa:edit': staffOnly((_s, p, g) => write('qa:edit', EDIT, p, g, [p.questionId, p.text])),
    'qa:merge': staffOnly((_s, p, g) => write('qa:merge', MERGE, p, g, [p.questionId, p.intoId, now()])),
    'qa:pin': staffOnly((_s, p, g) => write('qa:pin', PIN, p, g, [p.questionId ?? '', now()])),
    'qa:answered': staffOnly((_s, p, g) => write('qa:answered', ANSWERED, p, g, [p.questionId, now()])),
    'qa:settings': staffOnly((_s, p, g) => write('qa:settings', SETTINGS, p, g, [p.premoderation ? '1' : '0'])),
  };

  return {
    socketHandlers,
    routes(api) {
      // The same state the socket snapshot gives this caller, with each question's "answering now" times.
      api.route(
        'get',
        '/events/:slug/questions',
        'live:read',
        async (_req, res, g) => {
          res.json(await d.live.snapshot(g.event!, 'qa', { role: g.role, userId: g.principal?.userId ?? null }));
        },
        { eventParam: 'slug' },
      );
    },
  };
}
