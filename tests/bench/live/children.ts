/** Forks the load children (client-child.ts) and talks to them over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { VoteRecord, VoteStart, WatchReport, WatchStart } from './client-child.ts';

const CHILD = path.join(import.meta.dirname, 'client-child.ts');

export interface Child {
  proc: ChildProcess;
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  send(m: unknown): void;
  stop(): void;
}

export function startChild(start: WatchStart | VoteStart): Child {
  const proc = fork(CHILD, [], {
    execArgv: ['--max-old-space-size=4096'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const queue: { type: string; [k: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  proc.on('message', (m: { type: string }) => {
    queue.push(m);
    for (const w of waiters.splice(0)) w();
  });
  proc.send(start);
  return {
    proc,
    async next<T>(type: string, timeoutMs = 180_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = queue.findIndex((m) => m.type === type || m.type === 'error');
        if (i >= 0) {
          const [m] = queue.splice(i, 1);
          if (m!.type === 'error') throw new Error(`load child: ${String(m!.message)}`);
          return m as T;
        }
        if (Date.now() > deadline) throw new Error(`load child: no "${type}" within ${timeoutMs} ms`);
        if (proc.exitCode !== null) throw new Error(`load child exited with ${proc.exitCode}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    },
    send: (m) => proc.send(m as never),
    stop() {
      if (proc.connected) proc.disconnect();
      setTimeout(() => proc.kill('SIGKILL'), 2000).unref();
    },
  };
}

/** Splits `items` into `n` nearly equal parts. */
export const split = <T>(items: T[], n: number): T[][] =>
  Array.from({ length: n }, (_, k) => items.filter((_, i) => i % n === k));

export type { VoteRecord, WatchReport };
