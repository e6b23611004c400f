/**
 * The load generator process (forked by load.ts): receives one LoadJob over IPC, runs autocannon
 * for the warm-up and then the measured run, and replies with a LoadResult.
 */
import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './load.ts';

interface Counts {
  statusCodes: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function hit(job: LoadJob, seconds: number, counts: Counts, latencies: number[] | null) {
  const instance = autocannon({ url: job.url, connections: job.connections, duration: seconds });
  if (latencies) {
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  }
  const r = await instance;
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) {
    counts.statusCodes[code] = (counts.statusCodes[code] ?? 0) + count;
  }
  counts.non2xx += r.non2xx;
  counts.errors += r.errors;
  counts.timeouts += r.timeouts;
  return r;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const counts: Counts = { statusCodes: {}, non2xx: 0, errors: 0, timeouts: 0 };
  if (job.warmupSeconds > 0) await hit(job, job.warmupSeconds, counts, null);
  const latencies: number[] = [];
  const r = await hit(job, job.durationSeconds, counts, latencies);
  const sorted = Float64Array.from(latencies).sort();
  return {
    url: job.url,
    responses: r.requests.total,
    seconds: r.duration,
    requestsPerSecond: r.duration > 0 ? r.requests.total / r.duration : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    ...counts,
  };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, error: String(err) }, () => process.exit(1)),
  );
});
