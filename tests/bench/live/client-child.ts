/**
 * A load-generating child process (the live benchmarks fork several): it holds many light sockets
 * and plays one part, chosen by its first IPC message.
 *
 * - `watch`: audience sockets that subscribe and record when each delta arrives; asked later for
 *   the latency from each vote's ack to each socket seeing its version.
 * - `vote`: sockets that each emit their payloads spread over a time window, recording send and
 *   ack times and the acked version.
 */
import { LiteSocket, nowMs, pool } from './sio-lite.ts';

export interface WatchStart {
  part: 'watch';
  url: string;
  cookies: string[];
  /** Colloquy: subscribe to `slug` and take the feature's snapshot; bare: nothing to join. */
  slug: string | null;
  feature: string;
  deltaEvent: string;
}
export interface VoteStart {
  part: 'vote';
  url: string;
  cookies: string[];
  event: string;
  /** One payload per cookie (op ids already in them). */
  payloads: unknown[];
  /** Spread the sends evenly over this window. */
  windowMs: number;
}
export interface VoteRecord {
  sentAt: number;
  ackAt: number;
  ok: boolean;
  version: number;
}
export interface WatchReport {
  /** For each vote, the latest time (ms after its ack) any socket here saw it; -1 when one never did. */
  perVoteMax: number[];
  /** Counts per 1 ms bucket of every (vote, socket) latency; the last bucket holds the overflow. */
  histogram: number[];
  missing: number;
}

const HIST_BUCKETS = 10_000;
const send = (m: unknown) => process.send!(m);

/** Per socket: the versions it saw with their arrival times, flattened as [to, time, to, time, …]. */
let seen: number[][] = [];
let sockets: LiteSocket[] = [];

async function watch(m: WatchStart): Promise<void> {
  seen = m.cookies.map(() => []);
  sockets = await pool(m.cookies, 64, async (cookie, i) => {
    const s = new LiteSocket(m.url, cookie);
    await s.connect();
    s.on(m.deltaEvent, (d) => {
      const delta = d as { to: number; feature?: string };
      if (delta.feature && delta.feature !== m.feature) return;
      seen[i]!.push(delta.to, nowMs());
    });
    if (m.slug) {
      const sub = await s.emitWithAck<{ ok: boolean }>('event:subscribe', { slug: m.slug });
      if (!sub.ok) throw new Error(`subscribe refused: ${JSON.stringify(sub)}`);
      const snap = await s.emitWithAck<{ ok: boolean }>('live:snapshot', { slug: m.slug, feature: m.feature });
      if (!snap.ok) throw new Error(`snapshot refused: ${JSON.stringify(snap)}`);
    }
    return s;
  });
  send({ type: 'ready', sockets: sockets.length });
}

function measure(votes: VoteRecord[]): WatchReport {
  const perVoteMax = votes.map(() => 0);
  const histogram = new Array<number>(HIST_BUCKETS + 1).fill(0);
  let missing = 0;
  const order = votes.map((v, i) => ({ ...v, i })).sort((a, b) => a.version - b.version);
  for (const pairs of seen) {
    // Versions only grow per socket; walk votes by version alongside arrivals.
    let j = 0;
    for (const v of order) {
      if (!v.ok) continue;
      while (j < pairs.length && pairs[j]! < v.version) j += 2;
      if (j >= pairs.length) {
        missing += 1;
        perVoteMax[v.i] = -1;
        continue;
      }
      const latency = Math.max(0, pairs[j + 1]! - v.ackAt);
      if (perVoteMax[v.i] !== -1) perVoteMax[v.i] = Math.max(perVoteMax[v.i]!, latency);
      histogram[Math.min(HIST_BUCKETS, Math.floor(latency))]! += 1;
    }
  }
  return { perVoteMax, histogram, missing };
}

async function vote(m: VoteStart): Promise<void> {
  sockets = await pool(m.cookies, 64, async (cookie) => {
    const s = new LiteSocket(m.url, cookie);
    await s.connect();
    return s;
  });
  send({ type: 'ready', sockets: sockets.length });
  await new Promise<void>((resolve) => process.once('message', () => resolve())); // "go"
  const start = nowMs();
  const gap = m.windowMs / Math.max(1, sockets.length);
  const records = await Promise.all(
    sockets.map(async (s, i) => {
      const due = start + i * gap;
      const wait = due - nowMs();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const sentAt = nowMs();
      const ack = await s
        .emitWithAck<{ ok: boolean; version?: number }>(m.event, m.payloads[i])
        .catch(() => ({ ok: false as const }));
      return { sentAt, ackAt: nowMs(), ok: ack.ok, version: ack.ok ? (ack.version ?? 0) : 0 } satisfies VoteRecord;
    }),
  );
  send({ type: 'votes', records });
}

process.once('message', (m: WatchStart | VoteStart) => {
  const run = m.part === 'watch' ? watch(m) : vote(m);
  run.catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  });
  if (m.part === 'watch') {
    process.on('message', (msg: { type: string; votes?: VoteRecord[] }) => {
      if (msg.type === 'measure') send({ type: 'report', report: measure(msg.votes ?? []) });
    });
  }
});

process.on('disconnect', () => {
  for (const s of sockets) s.close();
  process.exit(0);
});
