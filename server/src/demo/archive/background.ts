/**
 * Runs the demo archive job in the background of `npm start`, once the server listens, with
 * progress lines on the console ("demo archives: panel 2/3 — transcribing 40%"). It checks again
 * every few minutes, so a `npm run seed` while the server runs (new demo event ids) gets its
 * archives without a restart; a check with nothing to do costs a few Redis reads.
 */
import type { App } from '../../http/app.ts';
import type { Logger } from '../../log/logger.ts';
import type { Redis } from '../../store/redis.ts';
import { DemoArchives, demoMediaDir, type DemoProgress, type PanelReport } from './prepare.ts';

export interface BackgroundDemoArchives {
  /** The first run (tests and `npm start` logs). */
  first: Promise<PanelReport[]>;
  stop(): Promise<void>;
}

/** A progress line, at most every 20 percentage points of a step (and at each new step). */
export function progressPrinter(say: (line: string) => void): (p: DemoProgress) => void {
  let last = '';
  let lastBucket = -1;
  return (p) => {
    const key = `${p.panel}|${p.step}`;
    const bucket = p.percent === null ? -1 : Math.floor(p.percent / 20);
    if (key === last && bucket <= lastBucket) return;
    last = key;
    lastBucket = bucket;
    const percent = p.percent === null || p.step === 'ready' ? '' : ` ${p.estimated ? '~' : ''}${p.percent}%`;
    say(`demo archives: panel ${p.panel}/${p.panels} — ${p.step}${percent}`);
  };
}

export function summary(reports: PanelReport[], seconds: number): string {
  const ready = reports.filter((r) => r.outcome === 'ready');
  const parts = reports.map((r) => {
    if (r.outcome === 'ready') {
      const wer = r.wer === undefined ? '' : `, word error ${Math.round(r.wer * 100)}%`;
      return `${r.slug} ready (${Math.round(r.durationSeconds ?? 0)} s video${wer})`;
    }
    return `${r.slug} ${r.outcome}${r.reason ? `: ${r.reason}` : ''}`;
  });
  return `demo archives: ${ready.length} prepared in ${Math.round(seconds)} s — ${parts.join('; ')}`;
}

export function startDemoArchives(
  app: App,
  o: { redis: Redis; dataDir: string; log: Logger; say: (line: string) => void; recheckMs?: number },
): BackgroundDemoArchives {
  const job = new DemoArchives({
    redis: o.redis,
    catalogue: app.catalogue.store,
    live: app.live,
    recording: app.recording,
    transcripts: app.transcripts,
    pipeline: app.archivePipeline,
    search: app.search,
    log: o.log,
    cacheDir: demoMediaDir(o.dataDir),
    onProgress: progressPrinter(o.say),
  });
  let stopped = false;
  const once = async () => {
    const started = performance.now();
    const reports = await job.prepare();
    if (!stopped && reports.some((r) => r.outcome !== 'unchanged')) {
      o.say(summary(reports, (performance.now() - started) / 1000));
    }
    return reports;
  };
  const first = once().catch((err: unknown) => {
    o.log.error({ err }, 'demo archives failed');
    return [] as PanelReport[];
  });
  const timer = setInterval(() => void once().catch(() => {}), o.recheckMs ?? 180_000);
  timer.unref();
  return {
    first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await job.stop();
    },
  };
}
