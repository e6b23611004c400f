import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves once the child has exited (after SIGTERM, then SIGKILL past the grace period). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a service with an argument array (never a shell), its output appended to a log file.
 * The child is ours: we stop it by its own handle, never by name.
 */
export function spawnService(name: string, command: string, args: string[], logFile: string): ManagedChild {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', log, log], detached: false });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    name,
    process: child,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it returns true, the child exits, or the deadline passes. */
export async function waitUntilReady(
  child: ManagedChild,
  probe: () => Promise<boolean>,
  { timeoutMs = 20_000, logFile }: { timeoutMs?: number; logFile: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited during start-up (see ${logFile}):\n${tail(logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await child.stop();
  throw new Error(`${child.name} was not ready after ${timeoutMs} ms (see ${logFile}):\n${tail(logFile)}`);
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
