/**
 * Runs the real start-up entry point as a child process, with its own data dir and port: it must
 * start redis-server and livekit-server, load the demo, report healthy, and on SIGINT stop
 * everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/src/services/ports.ts';
import { pingRedis } from '../../server/src/services/redis-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'server/src/cli/start.ts');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function run(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-start-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never saw ${pattern}:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return output.match(pattern)!;
  };
  return { child, exited, waitFor, output: () => output };
}

describe('the start-up entry point', () => {
  it('starts Redis and LiveKit, serves the demo, reports healthy, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const app = run({ PORT: String(port) });
    await app.waitFor(/listening on http:\/\/localhost:\d+/);
    const redisPort = Number((await app.waitFor(/redis-server on 127\.0\.0\.1:(\d+)/))[1]);
    const livekitPort = Number((await app.waitFor(/livekit-server on 127\.0\.0\.1:(\d+)/))[1]);
    expect(app.output()).toMatch(/loaded the Living Lab demo/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', redis: 'ok', livekit: 'ok' });
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Panel #4');

    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
    expect(await pingRedis(redisPort)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${livekitPort}/`)).rejects.toThrow();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ REDIS_URL: 'mysql://db' }, 'REDIS_URL'],
    [{ LIVEKIT_URL: 'ws://127.0.0.1:1' }, 'LIVEKIT_API_KEY'],
  ])('refuses to start with %o and names %s', async (env, variable) => {
    const app = run(env);
    expect(await app.exited).toBe(2);
    expect(app.output()).toContain(variable);
    expect(app.output()).not.toMatch(/listening/);
  });
});
