/**
 * The HTTP suite: throughput and p99 latency of Colloquy's pages against a bare Express handler
 * measured in the same run; the load comes from a child process (see load.ts for why).
 */
import path from 'node:path';
import { runLoad, type LoadResult } from './load.ts';
import { metric, type Metric } from './report.ts';
import { PAST_EVENT_SLUG, startBareServer, startColloquy, type RunningServer } from './servers.ts';
import type { BenchContext, BenchSuite } from './suite.ts';

const TARGETS = [
  { key: 'home', path: '/', label: 'home page' },
  { key: 'event', path: `/events/${PAST_EVENT_SLUG}`, label: 'past-event page (1 h transcript)' },
  { key: 'api', path: '/api/events?status=past', label: 'API past events' },
] as const;

/** A target that does not answer 2xx: reported by its message alone, no stack. */
export class TargetError extends Error {}

/** One GET before the load, so a broken page fails with its status and body, not a count. */
async function preflight(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  if (res.status < 200 || res.status > 299) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    const gist = title ? `page titled "${title}"` : body.replace(/\s+/g, ' ').slice(0, 160);
    throw new TargetError(`GET ${url} answered ${res.status} before any load (${gist})`);
  }
}

function checkAll2xx(label: string, r: LoadResult): string | null {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0) return null;
  const codes = Object.entries(r.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  return `${label} (${r.url}): ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts [${codes}]`;
}

export const httpSuite: BenchSuite = {
  key: 'http',
  label: 'HTTP pages and API against a bare Express handler',
  async run(ctx: BenchContext): Promise<Metric[]> {
    const { flags, say } = ctx;
    const bare: RunningServer = await startBareServer();
    ctx.cleanups.push(bare.close);
    say('building the app (web handler, demo catalogue)');
    const app: RunningServer = await startColloquy({ ...ctx.services, mediaDir: path.join(ctx.services.dir, 'media') });
    ctx.cleanups.push(app.close);

    const jobs = [
      { key: 'bare', label: 'bare Express', url: `${bare.url}/` },
      ...TARGETS.map((t) => ({ key: t.key, label: t.label, url: app.url + t.path })),
    ];
    for (const job of jobs) await preflight(job.url);

    const results = new Map<string, LoadResult>();
    const failures: string[] = [];
    for (const job of jobs) {
      say(`${job.label}: ${flags.warmup} s warm-up, then ${flags.duration} s at ${flags.connections} connections`);
      const r = await runLoad({
        url: job.url,
        connections: flags.connections,
        warmupSeconds: flags.warmup,
        durationSeconds: flags.duration,
      });
      say(`  ${Math.round(r.requestsPerSecond)} req/s, p99 ${r.p99Ms.toFixed(2)} ms (${r.responses} responses)`);
      results.set(job.key, r);
      const problem = checkAll2xx(job.label, r);
      if (problem) failures.push(problem);
    }
    if (failures.length > 0) throw new TargetError(`not every response was 2xx: ${failures.join('; ')}`);

    const base = results.get('bare')!;
    ctx.notes.push(
      `HTTP: ${flags.connections} connections, ${flags.duration} s per target after ${flags.warmup} s warm-up; baseline bare Express ${Math.round(base.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${base.p99Ms.toFixed(2)} ms`,
    );
    return TARGETS.flatMap((t) => {
      const r = results.get(t.key)!;
      return [
        metric({
          name: `http.${t.key}.rps`,
          value: r.requestsPerSecond,
          unit: 'req/s',
          baseline: base.requestsPerSecond,
          better: 'higher',
          label: `${t.label}, requests per second`,
        }),
        metric({
          name: `http.${t.key}.p99`,
          value: r.p99Ms,
          unit: 'ms',
          baseline: base.p99Ms,
          better: 'lower',
          label: `${t.label}, p99 latency`,
        }),
      ];
    });
  },
};
