/**
 * Poll burst: 5,000 people each vote once within one second, from a child process. Throughput and
 * p99 ack latency against a bare Socket.IO server that acks the same messages at once; and the
 * poll's final tally, which must equal the acknowledged votes.
 */
import crypto from 'node:crypto';
import type { PollsListing } from '@colloquy/shared';
import { metric, type Metric } from '../report.ts';
import type { BenchContext } from '../suite.ts';
import { startChild, type VoteRecord } from './children.ts';
import { bare, colloquy, percentile, type ColloquyTarget } from './fanout.ts';
import { LiteSocket } from './sio-lite.ts';

const VOTERS = 5000;
const WINDOW_MS = 1000;

interface Burst {
  acked: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function burst(
  target: { url: string; people(n: number): Promise<string[]> },
  event: string,
  payload: (i: number) => unknown,
): Promise<Burst & { records: VoteRecord[] }> {
  const cookies = await target.people(VOTERS);
  const child = startChild({
    part: 'vote',
    url: target.url,
    cookies,
    event,
    payloads: cookies.map((_, i) => payload(i)),
    windowMs: WINDOW_MS,
  });
  try {
    await child.next('ready');
    child.send({ type: 'go' });
    const { records } = await child.next<{ records: VoteRecord[] }>('votes');
    const ok = records.filter((r) => r.ok);
    const first = Math.min(...records.map((r) => r.sentAt));
    const last = Math.max(...ok.map((r) => r.ackAt));
    const latencies = ok.map((r) => r.ackAt - r.sentAt).sort((a, b) => a - b);
    return {
      records,
      acked: ok.length,
      perSecond: ok.length / ((last - first) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    child.stop();
  }
}

async function openPoll(t: ColloquyTarget): Promise<{ pollId: string; options: string[]; staffCookie: string }> {
  const { token, session } = await t.app.auth.sessions.create({ kind: 'guest', displayName: 'Moderator' });
  await t.app.auth.roles.grant(t.eventId, session.userId, 'moderator');
  const cookie = `colloquy_session=${token}`;
  const s = new LiteSocket(t.url, cookie);
  await s.connect();
  const created = await s.emitWithAck<{ ok: boolean; data: { id: string; options: { id: string }[] } }>(
    'polls:create',
    {
      slug: t.slug,
      opId: crypto.randomUUID(),
      kind: 'single',
      question: 'Which building block matters most for your programme?',
      options: ['Mentoring', 'Peer networks', 'Evaluation', 'Funding'],
    },
  );
  if (!created.ok) throw new Error(`could not create the poll: ${JSON.stringify(created)}`);
  const opened = await s.emitWithAck<{ ok: boolean }>('polls:open', {
    slug: t.slug,
    opId: crypto.randomUUID(),
    pollId: created.data.id,
  });
  if (!opened.ok) throw new Error(`could not open the poll: ${JSON.stringify(opened)}`);
  s.close();
  return { pollId: created.data.id, options: created.data.options.map((o) => o.id), staffCookie: cookie };
}

export async function pollBurstMetrics(ctx: BenchContext): Promise<Metric[]> {
  ctx.say(`poll burst: ${VOTERS.toLocaleString('en-US')} votes within ${WINDOW_MS / 1000} s: Colloquy`);
  const t = await colloquy(ctx, 12, 'poll-burst');
  let ours: Burst;
  try {
    const { pollId, options, staffCookie } = await openPoll(t);
    ours = await burst(t, 'polls:vote', (i) => ({
      slug: t.slug,
      opId: crypto.randomUUID(),
      pollId,
      choices: [options[i % options.length]],
    }));
    const listing = (await fetch(`${t.url}/api/events/${t.slug}/polls`, { headers: { cookie: staffCookie } }).then(
      (r) => r.json(),
    )) as PollsListing;
    const poll = listing.polls.find((p) => p.id === pollId);
    const tally = Object.values(poll?.results?.counts ?? {}).reduce((a, b) => a + b, 0);
    ctx.say(
      `  ${ours.acked} acked, tally ${tally}, voters ${poll?.results?.voters}; ${Math.round(ours.perSecond)} votes/s, ack p99 ${ours.p99.toFixed(1)} ms`,
    );
    if (tally !== ours.acked || poll?.results?.voters !== ours.acked) {
      throw new Error(`the final tally (${tally}) differs from the acknowledged votes (${ours.acked})`);
    }
  } finally {
    await t.close();
  }
  ctx.say('poll burst: bare Socket.IO');
  const b = await bare({ broadcast: false });
  let base: Burst;
  try {
    base = await burst(b, 'vote', () => ({ questionId: '1' }));
  } finally {
    await b.close();
  }
  return [
    metric({
      name: 'live.poll_burst.votes_per_s',
      value: ours.perSecond,
      unit: 'votes/s',
      baseline: base.perSecond,
      better: 'higher',
      label: `poll burst, ${VOTERS} votes in ${WINDOW_MS / 1000} s: acked votes per second`,
    }),
    metric({
      name: 'live.poll_burst.ack.p50',
      value: ours.p50,
      unit: 'ms',
      baseline: base.p50,
      better: 'lower',
      label: 'poll burst: ack latency p50',
    }),
    metric({
      name: 'live.poll_burst.ack.p99',
      value: ours.p99,
      unit: 'ms',
      baseline: base.p99,
      better: 'lower',
      label: 'poll burst: ack latency p99',
    }),
    metric({
      name: 'live.poll_burst.tally_matches',
      value: ours.acked,
      unit: 'votes',
      baseline: base.acked,
      better: 'higher',
      label: 'poll burst: acknowledged votes, all in the final tally (checked)',
    }),
  ];
}
