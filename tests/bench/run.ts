/**
 * `npm run bench`: HTTP throughput and p99 latency of Colloquy's pages against a bare Express
 * handler measured in the same run on the same machine, so the numbers travel between machines
 * as ratios.
 *
 *   npm run bench                       a table on stdout
 *   npm run -s bench -- --json          one JSON object per line on stdout, nothing else
 *   --duration S (5)  --warmup S (1)  --connections N (10)  --only home,event,api
 *
 * It starts its own redis-server and livekit-server (temporary folder, free ports), builds the
 * real app with the web handler and the demo catalogue, and a bare Express app, both in this
 * process; the load comes from a child process (see load.ts for why). Progress goes to stderr.
 * Exit 0 when every response was 2xx, 1 when one was not (or anything failed), 2 on a bad flag.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, stopLoad, type LoadResult } from './load.ts';
import { jsonLine, metric, table, type Metric } from './report.ts';
import { startBareServer, startColloquy, type RunningServer } from './servers.ts';
import { startBenchServices, type BenchServices } from './services.ts';

const TARGETS = [
  { key: 'home', path: '/', label: 'home page' },
  { key: 'event', path: '/events/living-lab-3-build-a-learning-ecosystem', label: 'event page' },
  { key: 'api', path: '/api/events?status=past', label: 'API past events' },
] as const;

const USAGE = `usage: npm run bench -- [--json] [--duration S] [--warmup S] [--connections N] [--only ${TARGETS.map((t) => t.key).join(',')}]`;

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

class UsageError extends Error {}
/** A target that does not answer 2xx: reported by its message alone, no stack. */
class TargetError extends Error {}

let interrupted = false;

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number, integer: boolean) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${raw}")`,
    );
  }
  return n;
}

function parseFlags(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const keys = values.only?.split(',').map((k) => k.trim()) ?? TARGETS.map((t) => t.key);
  const unknown = keys.filter((k) => !TARGETS.some((t) => t.key === k));
  if (unknown.length > 0 || keys.length === 0)
    throw new UsageError(`--only takes ${TARGETS.map((t) => t.key).join(', ')}`);
  return {
    help: values.help,
    json: values.json,
    duration: number('duration', values.duration, 5, 1, 600, false),
    warmup: number('warmup', values.warmup, 1, 0, 60, false),
    connections: number('connections', values.connections, 10, 1, 1000, true),
    targets: TARGETS.filter((t) => keys.includes(t.key)),
  };
}

/** One GET before the load, so a broken page fails with its status and body, not a count. */
async function preflight(url: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  if (res.status < 200 || res.status > 299) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    const gist = title ? `page titled "${title}"` : body.replace(/\s+/g, ' ').slice(0, 160);
    throw new TargetError(
      `GET ${url} answered ${res.status} before any load (${gist})\n  fix the page, or leave it out with --only`,
    );
  }
}

function checkAll2xx(label: string, r: LoadResult): string | null {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0) return null;
  const codes = Object.entries(r.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  return `${label} (${r.url}): ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts [${codes}]`;
}

async function main(): Promise<number> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (flags.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }

  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      stopLoad();
      for (const fn of cleanups.reverse()) await fn().catch((e: unknown) => say(`cleanup: ${String(e)}`));
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      say(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const services: BenchServices = await startBenchServices(say);
    cleanups.push(services.stop);
    const bare: RunningServer = await startBareServer();
    cleanups.push(bare.close);
    say('building the app (web handler, demo catalogue)');
    const app: RunningServer = await startColloquy({ ...services, mediaDir: path.join(services.dir, 'media') });
    cleanups.push(app.close);

    const jobs = [
      { key: 'bare', label: 'bare Express', url: `${bare.url}/` },
      ...flags.targets.map((t) => ({ key: t.key, label: t.label, url: app.url + t.path })),
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
    if (failures.length > 0) {
      for (const f of failures) say(`error: not every response was 2xx: ${f}`);
      return 1;
    }

    const base = results.get('bare')!;
    const metrics: Metric[] = flags.targets.flatMap((t) => {
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

    if (flags.json) {
      process.stdout.write(metrics.map((m) => jsonLine(m) + '\n').join(''));
    } else {
      const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
      process.stdout.write(
        table(metrics, [
          `Colloquy HTTP benchmark: ${flags.connections} connections, ${flags.duration} s per target after ${flags.warmup} s warm-up`,
          `Node ${process.version}, ${os.availableParallelism()} CPUs (${cpu}); load from a child process`,
          `baseline: bare Express handler, ${Math.round(base.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${base.p99Ms.toFixed(2)} ms`,
        ]),
      );
    }
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: unknown) => {
    if (!interrupted) {
      const text =
        err instanceof TargetError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
      say(`error: ${text}`);
    }
    process.exit(interrupted ? 130 : 1);
  },
);
