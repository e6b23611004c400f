/**
 * The benchmark's own redis-server and livekit-server, on free loopback ports with their data in
 * a temporary folder that stop() removes. Never a developer's data, never a shared server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadConfig } from '../../server/src/config/index.ts';
import { ensureLivekitServer, ensureRedisServer } from '../../server/src/services/install.ts';
import { startLivekitServer, type LivekitCredentials } from '../../server/src/services/livekit-server.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { startRedisServer } from '../../server/src/services/redis-server.ts';
import type { ManagedChild } from '../../server/src/services/child.ts';

export interface BenchServices {
  /** The temporary folder (removed by stop()); the app's media goes under it too. */
  dir: string;
  redisUrl: string;
  livekit: LivekitCredentials;
  /** Stops the servers (reverse order) and removes the temporary folder; safe to call twice. */
  stop(): Promise<void>;
}

export async function startBenchServices(say: (m: string) => void): Promise<BenchServices> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-bench-'));
  const children: ManagedChild[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const c of children.reverse()) await c.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const redisPort = await freePort();
    say(`starting redis-server on 127.0.0.1:${redisPort}`);
    const redis = await startRedisServer({
      binary: ensureRedisServer(say),
      port: redisPort,
      dir: path.join(dir, 'redis'),
    });
    children.push(redis.child);
    const lkPort = await freePort();
    say(`starting livekit-server on 127.0.0.1:${lkPort}`);
    const lk = await startLivekitServer({
      binary: await ensureLivekitServer(loadConfig().home, say),
      dir: path.join(dir, 'livekit'),
      port: lkPort,
      rtcTcpPort: await freePort(),
      rtcUdpPort: await freePort(),
      apiKey: 'APIbench' + crypto.randomBytes(4).toString('hex'),
      apiSecret: crypto.randomBytes(32).toString('base64url'),
    });
    children.push(lk.child);
    return { dir, redisUrl: redis.url, livekit: { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
