/**
 * Runs one HTTP load job in a child process and returns its summary.
 *
 * Why a child process and not the benchmark's own process or a worker thread: on a 2-core machine
 * autocannon on the server's event loop would take turns with the server and measure itself. A
 * worker thread gets its own core too, but still shares the server process's heap limits, GC
 * helper threads and libuv pool; a separate process shares nothing but the CPUs, like a real
 * client, and is stopped by its own handle if the run is interrupted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface LoadJob {
  url: string;
  connections: number;
  /** Seconds of unmeasured load before the measured run (0: none). */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  url: string;
  /** Completed responses in the measured run. */
  responses: number;
  /** Seconds the measured run took. */
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds, from every response's own timing (not autocannon's whole-ms histogram). */
  p50Ms: number;
  p99Ms: number;
  /** Responses per status code, warm-up and measured run together. */
  statusCodes: Record<string, number>;
  /** Non-2xx responses, connection errors and timeouts, warm-up and measured run together. */
  non2xx: number;
  errors: number;
  timeouts: number;
}

const CHILD = path.join(import.meta.dirname, 'load-child.ts');
const running = new Set<ChildProcess>();

/** Forks the load generator, hands it the job and waits for its summary. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: stdout belongs to the report.
    const child = fork(CHILD, [], { stdio: ['ignore', 2, 2, 'ipc'] });
    running.add(child);
    let result: LoadResult | null = null;
    child.once('message', (msg: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      if (msg.ok) result = msg.result;
      else reject(new Error(`load generator failed on ${job.url}: ${msg.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (result) resolve(result);
      else reject(new Error(`load generator exited (${signal ?? `code ${code}`}) without a result for ${job.url}`));
    });
    child.send(job);
  });
}

/** Kills the load generators still running (each by its own handle). */
export function stopLoad(): void {
  for (const child of running) child.kill('SIGKILL');
}
