/**
 * The stage suite (`--suite stage`):
 *
 * - stage.first-frame.p50 / .p95: ms from opening the event page to the first decoded frame of a
 *   speaker's video (one fake-camera speaker, JOINS fresh audience members), against a bare
 *   livekit-client page joining the same room in the same run (see first-frame.ts).
 * - stage.lk-cpu.per-subscriber: livekit-server CPU (ms per second) per subscriber under
 *   `lk load-test` (one simulcast video publisher, SUBSCRIBERS subscribers), against the same
 *   server's CPU with the publisher alone (see cpu.ts). Needs lk; without it the suite says how
 *   to build it and reports the first-frame figures only.
 */
import { launchStageBrowser } from '../../support/stage.ts';
import { metric, type Metric } from '../report.ts';
import type { BenchContext, BenchSuite } from '../suite.ts';
import { LK_RECIPE, LK_VERSION, lkPath, measureCpuPerSubscriber } from './cpu.ts';
import { measureFirstFrames, quantile, startStageApp } from './first-frame.ts';

const JOINS = 10;
const SUBSCRIBERS = 20;
const LOAD_SECONDS = 20;
/** A Redis database of its own on the run's redis-server (the live suites use others). */
const DB = 14;

export const stageSuite: BenchSuite = {
  key: 'stage',
  label: 'live stage: first decoded frame, and livekit-server CPU per subscriber under lk load-test',
  async run(ctx: BenchContext): Promise<Metric[]> {
    const { services, say } = ctx;
    const metrics: Metric[] = [];

    const stage = await startStageApp(services.redisUrl, services.livekit, DB);
    ctx.cleanups.push(stage.close);
    const browser = await launchStageBrowser();
    ctx.cleanups.push(() => browser.close());
    say(`first decoded frame: ${JOINS} joins of the event page and of a bare livekit-client page`);
    const frames = await measureFirstFrames({ browser, stage, livekit: services.livekit, joins: JOINS, say });
    await browser.close();
    for (const [q, label] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
    ] as const) {
      metrics.push(
        metric({
          name: `stage.first-frame.${label}`,
          value: quantile(frames.app, q),
          unit: 'ms',
          baseline: quantile(frames.bare, q),
          better: 'lower',
          label: `event page opened → first decoded speaker frame, ${label} of ${JOINS}`,
        }),
      );
    }
    ctx.notes.push(
      `stage.first-frame: ${JOINS} fresh audience members open the live event page (fake-camera speaker); baseline: a bare livekit-client page with a pre-minted token, same room, same run`,
    );

    const lk = lkPath();
    if (!lk) {
      say(`skipping lk load-test:\n${LK_RECIPE}`);
      ctx.notes.push(`stage.lk-cpu: not measured, lk (livekit-cli ${LK_VERSION}) is not built (see the stderr)`);
      return metrics;
    }
    const cpu = await measureCpuPerSubscriber({ lk, subscribers: SUBSCRIBERS, seconds: LOAD_SECONDS, say });
    metrics.push(
      metric({
        name: 'stage.lk-cpu.per-subscriber',
        // CPU milliseconds per second (10 × % of one core), for a finer figure in the table.
        value: cpu.perSubscriber * 10,
        unit: 'ms CPU/s',
        baseline: cpu.baseline.cpuPercent * 10,
        better: 'lower',
        label: `livekit-server CPU per subscriber (${SUBSCRIBERS} subscribers: ${cpu.loaded.cpuPercent.toFixed(1)}% of a core)`,
      }),
    );
    ctx.notes.push(
      `stage.lk-cpu: lk load-test ${LK_VERSION}, 1 simulcast video publisher and ${SUBSCRIBERS} subscribers for ${LOAD_SECONDS} s on a livekit-server of its own; value = (CPU with subscribers − CPU without) / ${SUBSCRIBERS}, baseline = CPU with the publisher alone; in CPU ms per second from /proc/<pid>/stat (10 ms/s = 1% of a core), so the ratio reads one subscriber against the publisher alone`,
    );
    return metrics;
  },
};
