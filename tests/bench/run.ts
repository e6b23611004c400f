/**
 * `npm run bench`: every benchmark suite, each comparing Colloquy against a baseline measured in the
 * same run on the same machine, so the numbers travel between machines as ratios.
 *
 *   npm run bench                       a table on stdout
 *   npm run -s bench -- --json          one JSON object per line on stdout, nothing else
 *   --suite http,...  (all)  --duration S (5)  --warmup S (1)  --connections N (10)
 *
 * It starts its own redis-server and livekit-server (temporary folder, free ports); suites start
 * what else they need and register its cleanup. Progress goes to stderr. Exit 0 when every suite
 * ran, 1 when one failed, 2 on a bad flag.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { stopLoad } from './load.ts';
import { jsonLine, table, type Metric } from './report.ts';
import { startBenchServices } from './services.ts';
import type { BenchContext, BenchSuite } from './suite.ts';
import { httpSuite } from './http.ts';
import { liveSuite } from './live/fanout.ts';
import { transcribeSuite } from './transcription.ts';
import { searchSuite } from './search.ts';
import { stageSuite } from './stage/index.ts';
import { captionsSuite } from './captions.ts';

/** Every suite, in the order they run. Add new suites here. */
const SUITES: BenchSuite[] = [httpSuite, liveSuite, transcribeSuite, searchSuite, stageSuite, captionsSuite];

const USAGE = `usage: npm run bench -- [--json] [--suite ${SUITES.map((s) => s.key).join(',')}] [--duration S] [--warmup S] [--connections N]`;

const say = (m: string) => process.stderr.write(`[bench] ${m}\n`);

class UsageError extends Error {}

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
        suite: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const keys = values.suite?.split(',').map((k) => k.trim()) ?? SUITES.map((s) => s.key);
  const unknown = keys.filter((k) => !SUITES.some((s) => s.key === k));
  if (unknown.length > 0 || keys.length === 0)
    throw new UsageError(`--suite takes ${SUITES.map((s) => s.key).join(', ')}`);
  return {
    help: values.help,
    json: values.json,
    duration: number('duration', values.duration, 5, 1, 600, false),
    warmup: number('warmup', values.warmup, 1, 0, 60, false),
    connections: number('connections', values.connections, 10, 1, 1000, true),
    suites: SUITES.filter((s) => keys.includes(s.key)),
  };
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
    const services = await startBenchServices(say);
    cleanups.push(services.stop);
    const notes: string[] = [];
    const metrics: Metric[] = [];
    let failed = 0;
    for (const suite of flags.suites) {
      say(`suite ${suite.key}: ${suite.label}`);
      const ctx: BenchContext = { services, flags, say, cleanups, notes };
      try {
        const got = await suite.run(ctx);
        metrics.push(...got);
        if (flags.json) process.stdout.write(got.map((m) => jsonLine(m) + '\n').join(''));
      } catch (err) {
        if (interrupted) throw err;
        failed += 1;
        say(`error in suite ${suite.key}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (!flags.json) {
      const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
      process.stdout.write(
        table(metrics, [
          `Colloquy benchmarks: ${flags.suites.map((s) => s.key).join(', ')}`,
          `Node ${process.version}, ${os.availableParallelism()} CPUs (${cpu})`,
          ...notes,
        ]),
      );
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: unknown) => {
    if (!interrupted) say(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(interrupted ? 130 : 1);
  },
);
