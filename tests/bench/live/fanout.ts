/**
 * The live benchmarks of issue 6, each beside a bare Socket.IO server doing the same in the same run:
 *
 * - fan-out: N audience sockets (1,000 and 5,000) in child processes watch one question while 500
 *   other people upvote it over 2 s; per vote, the time from its ack to every socket having seen it
 *   (p50 and p99 over votes), and over every (vote, socket) pair. Bare: the same sockets, each vote
 *   acked at once and broadcast as a delta of the same shape.
 * - memory per connected audience socket (heap after GC, N sockets connected and subscribed).
 * - poll burst: 5,000 people each vote once within one second: throughput, p99 ack latency, and
 *   the final tally compared with the acknowledged votes.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import vm from 'node:vm';
import v8 from 'node:v8';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { SESSION_COOKIE } from '@colloquy/shared';
import { createApp, type App } from '../../../server/src/http/app.ts';
import { createLogger } from '../../../server/src/log/logger.ts';
import { connectRedis, type Redis } from '../../../server/src/store/redis.ts';
import { freePort } from '../../../server/src/services/ports.ts';
import { metric, type Metric } from '../report.ts';
import type { BenchContext, BenchSuite } from '../suite.ts';
import { split, startChild, type Child, type VoteRecord, type WatchReport } from './children.ts';
import { LiteSocket } from './sio-lite.ts';
import { pollBurstMetrics } from './poll-burst.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CHILDREN = 2;
const VOTERS = 500;
const VOTE_WINDOW_MS = 2000;

interface Target {
  url: string;
  /** Session cookies for `n` people with the audience role (empty strings for the bare server). */
  people(n: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface ColloquyTarget extends Target {
  app: App;
  slug: string;
  eventId: string;
}

export async function colloquy(ctx: BenchContext, db: number, slug: string): Promise<ColloquyTarget> {
  const redis: Redis = await connectRedis(`${ctx.services.redisUrl}/${db}`);
  await redis.flushDb();
  const port = await freePort();
  const app = createApp({
    config: { publicUrl: `http://127.0.0.1:${port}`, trustProxy: false },
    redis,
    livekit: ctx.services.livekit,
    log: createLogger('silent'),
    web: null,
  });
  const url = await app.listen(port, '127.0.0.1');
  const event = await app.catalogue.store.putEvent(
    {
      slug,
      title: 'Benchmark panel',
      description: 'A live panel for the benchmark',
      startsAt: new Date(Date.now() - 600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      timeZone: 'Asia/Qatar',
      status: 'live',
      seriesId: null,
      speakerIds: [],
      location: 'Online',
    },
    'organizer',
  );
  return {
    app,
    url,
    slug,
    eventId: event.id,
    async people(n) {
      const out: string[] = [];
      for (let i = 0; i < n; i += 200) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(200, n - i) }, async (_, k) => {
            const { token, session } = await app.auth.sessions.create({
              kind: 'guest',
              displayName: `Viewer ${i + k}`,
            });
            await app.auth.roles.grant(event.id, session.userId, 'audience');
            return `${SESSION_COOKIE}=${token}`;
          }),
        );
        out.push(...batch);
      }
      return out;
    },
    async close() {
      await app.close();
      await redis.quit();
    },
  };
}

/**
 * The baseline: Socket.IO with no middleware; a vote is acked at once and (for the fan-out) broadcast
 * as a delta. The poll burst compares acks only, as Colloquy's poll votes reach watchers coalesced.
 */
export async function bare(opts: { broadcast?: boolean } = {}): Promise<Target & { io: Server }> {
  const broadcast = opts.broadcast ?? true;
  const server = http.createServer();
  const io = new Server(server, { serveClient: false, perMessageDeflate: false });
  let version = 0;
  io.on('connection', (socket) => {
    socket.on('vote', (payload: { questionId: string }, ack: (r: unknown) => void) => {
      version += 1;
      ack({ ok: true, data: { questionId: payload.questionId, voted: true, votes: version }, version });
      if (!broadcast) return;
      io.emit('bench:delta', {
        slug: 'bare',
        feature: 'qa',
        from: version,
        to: version,
        changes: [{ kind: 'question', id: payload.questionId, data: { id: payload.questionId, votes: version } }],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    io,
    url: `http://127.0.0.1:${port}`,
    people: async (n) => Array.from({ length: n }, () => ''),
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function histogramPercentile(hist: number[], p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= (p / 100) * total) return i + 0.5;
  }
  return NaN;
}

const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

interface FanoutResult {
  allP50: number;
  allP99: number;
  pairP50: number;
  pairP99: number;
  missing: number;
  bytesPerSocket: number;
  acked: number;
}

/** One fan-out run against a target: watchers in children, a voter child, then the measures. */
async function fanout(
  ctx: BenchContext,
  target: Target,
  n: number,
  o: { slug: string | null; event: string; deltaEvent: string; payload: (i: number) => unknown },
): Promise<FanoutResult> {
  const children: Child[] = [];
  try {
    const audience = await target.people(n);
    const voters = await target.people(VOTERS);
    const before = heapUsed();
    for (const part of split(audience, CHILDREN)) {
      children.push(
        startChild({
          part: 'watch',
          url: target.url,
          cookies: part,
          slug: o.slug,
          feature: 'qa',
          deltaEvent: o.deltaEvent,
        }),
      );
    }
    const ready = await Promise.all(children.map((c) => c.next<{ sockets: number }>('ready')));
    const connected = ready.reduce((a, r) => a + r.sockets, 0);
    const bytesPerSocket = (heapUsed() - before) / connected;
    ctx.say(`  ${connected} sockets watching; ${Math.round(bytesPerSocket)} bytes of heap each`);

    const voter = startChild({
      part: 'vote',
      url: target.url,
      cookies: voters,
      event: o.event,
      payloads: voters.map((_, i) => o.payload(i)),
      windowMs: VOTE_WINDOW_MS,
    });
    children.push(voter);
    await voter.next('ready');
    voter.send({ type: 'go' });
    const { records } = await voter.next<{ records: VoteRecord[] }>('votes');
    const acked = records.filter((r) => r.ok).length;
    await new Promise((r) => setTimeout(r, 1500)); // the last coalesced deltas reach everyone
    for (const c of children.slice(0, -1)) c.send({ type: 'measure', votes: records });
    const reports = await Promise.all(
      children.slice(0, -1).map((c) => c.next<{ report: WatchReport }>('report').then((m) => m.report)),
    );
    const perVote = records.map((r, i) =>
      r.ok ? Math.max(...reports.map((rep) => (rep.perVoteMax[i] === -1 ? Infinity : rep.perVoteMax[i]!))) : NaN,
    );
    const finite = perVote.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const hist = reports[0]!.histogram.map((_, i) => reports.reduce((a, rep) => a + rep.histogram[i]!, 0));
    const missing = reports.reduce((a, rep) => a + rep.missing, 0);
    return {
      allP50: percentile(finite, 50),
      allP99: percentile(finite, 99),
      pairP50: histogramPercentile(hist, 50),
      pairP99: histogramPercentile(hist, 99),
      missing,
      bytesPerSocket,
      acked,
    };
  } finally {
    for (const c of children) c.stop();
  }
}

async function askQuestion(t: ColloquyTarget): Promise<string> {
  const [cookie] = await t.people(1);
  const s = new LiteSocket(t.url, cookie);
  await s.connect();
  const ack = await s.emitWithAck<{ ok: boolean; data: { id: string } }>('qa:ask', {
    slug: t.slug,
    opId: crypto.randomUUID(),
    text: 'How do small schools gather evidence without a research budget?',
  });
  s.close();
  if (!ack.ok) throw new Error(`could not ask the question: ${JSON.stringify(ack)}`);
  return ack.data.id;
}

async function fanoutMetrics(ctx: BenchContext, n: number, db: number): Promise<Metric[]> {
  ctx.say(`fan-out with ${n.toLocaleString('en-US')} audience sockets: Colloquy`);
  const t = await colloquy(ctx, db, `fanout-${n}`);
  let ours: FanoutResult;
  try {
    const questionId = await askQuestion(t);
    ours = await fanout(ctx, t, n, {
      slug: t.slug,
      event: 'qa:vote',
      deltaEvent: 'live:delta',
      payload: () => ({ slug: t.slug, opId: crypto.randomUUID(), questionId, up: true }),
    });
    const snap = await fetch(`${t.url}/api/events/${t.slug}/questions`, {
      headers: { cookie: (await t.people(1))[0]! },
    }).then((r) => r.json() as Promise<{ state?: { questions: Record<string, { votes: number }> } }>);
    const votes = snap.state?.questions[questionId]?.votes;
    ctx.say(
      `  ${ours.acked} votes acked, the question shows ${votes}; ${ours.missing} (vote, socket) pairs never seen`,
    );
    if (votes !== ours.acked)
      throw new Error(`the tally (${votes}) differs from the acknowledged votes (${ours.acked})`);
  } finally {
    await t.close();
  }
  ctx.say(`fan-out with ${n.toLocaleString('en-US')} audience sockets: bare Socket.IO`);
  const b = await bare();
  let base: FanoutResult;
  try {
    base = await fanout(ctx, b, n, {
      slug: null,
      event: 'vote',
      deltaEvent: 'bench:delta',
      payload: () => ({ questionId: '1' }),
    });
  } finally {
    await b.close();
  }
  ctx.say(
    `  Colloquy: every socket has a vote after p50 ${ours.allP50.toFixed(1)} ms, p99 ${ours.allP99.toFixed(1)} ms; bare: ${base.allP50.toFixed(1)} / ${base.allP99.toFixed(1)} ms`,
  );
  const label = `${n.toLocaleString('en-US')} sockets`;
  const out = [
    metric({
      name: `live.fanout.${n}.all.p50`,
      value: ours.allP50,
      unit: 'ms',
      baseline: base.allP50,
      better: 'lower',
      label: `upvote storm, ${label}: ack → every socket shows it, p50`,
    }),
    metric({
      name: `live.fanout.${n}.all.p99`,
      value: ours.allP99,
      unit: 'ms',
      baseline: base.allP99,
      better: 'lower',
      label: `upvote storm, ${label}: ack → every socket shows it, p99`,
    }),
    metric({
      name: `live.fanout.${n}.pair.p50`,
      value: ours.pairP50,
      unit: 'ms',
      baseline: base.pairP50,
      better: 'lower',
      label: `upvote storm, ${label}: ack → one socket shows it, p50`,
    }),
    metric({
      name: `live.fanout.${n}.pair.p99`,
      value: ours.pairP99,
      unit: 'ms',
      baseline: base.pairP99,
      better: 'lower',
      label: `upvote storm, ${label}: ack → one socket shows it, p99`,
    }),
  ];
  if (n >= 5000) {
    out.push(
      metric({
        name: 'live.memory.per_socket',
        value: ours.bytesPerSocket / 1024,
        unit: 'KiB',
        baseline: base.bytesPerSocket / 1024,
        better: 'lower',
        label: `heap per connected, subscribed audience socket (${label})`,
      }),
    );
  }
  return out;
}

export const liveSuite: BenchSuite = {
  key: 'live',
  label: 'Socket.IO fan-out during an upvote storm, memory per socket, and a poll burst (issue 6)',
  async run(ctx) {
    ctx.notes.push(
      `live: watchers in ${CHILDREN} child processes speaking Socket.IO over bare WebSockets; ${VOTERS} voters over ${VOTE_WINDOW_MS / 1000} s; baseline a bare Socket.IO server that acks and broadcasts each vote at once`,
    );
    const metrics: Metric[] = [];
    metrics.push(...(await fanoutMetrics(ctx, 1000, 10)));
    metrics.push(...(await fanoutMetrics(ctx, 5000, 11)));
    metrics.push(...(await pollBurstMetrics(ctx)));
    return metrics;
  },
};
