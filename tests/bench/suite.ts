/** What a benchmark suite gets from the runner, and what it gives back. */
import type { Metric } from './report.ts';
import type { BenchServices } from './services.ts';

export interface BenchFlags {
  json: boolean;
  duration: number;
  warmup: number;
  connections: number;
}

export interface BenchContext {
  /** The run's own redis-server and livekit-server (and a temporary folder). */
  services: BenchServices;
  flags: BenchFlags;
  /** Progress, to stderr. */
  say(message: string): void;
  /** Run in reverse order when the run ends (also on Ctrl-C). */
  cleanups: (() => Promise<void>)[];
  /** Lines printed above the table (what was measured against what). */
  notes: string[];
}

export interface BenchSuite {
  /** For --suite, e.g. `http`. */
  key: string;
  label: string;
  /** Measures, and returns metrics each paired with a baseline measured in the same run. */
  run(ctx: BenchContext): Promise<Metric[]>;
}
