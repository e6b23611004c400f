/**
 * Starts one redis-server and one livekit-server per test run, on free loopback ports, with
 * their data in a temporary folder; every test file then takes its own Redis database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureLivekitServer, ensureRedisServer } from '../../server/src/services/install.ts';
import { startLivekitServer } from '../../server/src/services/livekit-server.ts';
import { freePort, freeUdpPort } from '../../server/src/services/ports.ts';
import { startRedisServer } from '../../server/src/services/redis-server.ts';
import { loadConfig } from '../../server/src/config/index.ts';
import { startWebhookRelay } from './webhook-relay.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    livekit: { url: string; apiKey: string; apiSecret: string };
    /** Where apps register to receive LiveKit's webhooks (see webhook-relay.ts). */
    webhookRelay: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-test-'));
  const say = (m: string) => process.stderr.write(`[test services] ${m}\n`);
  const redis = await startRedisServer({
    binary: ensureRedisServer(say),
    port: await freePort(),
    dir: path.join(dir, 'redis'),
    databases: 256,
  });
  const relay = await startWebhookRelay();
  const lk = await startLivekitServer({
    binary: await ensureLivekitServer(loadConfig().home, say),
    dir: path.join(dir, 'livekit'),
    port: await freePort(),
    rtcTcpPort: await freePort(),
    rtcUdpPort: await freeUdpPort(),
    apiKey: 'APItest' + Math.random().toString(36).slice(2, 8),
    apiSecret: 'test-secret-' + 'x'.repeat(40),
    webhookUrl: `${relay.url}/livekit`,
  });
  project.provide('redisUrl', redis.url);
  project.provide('livekit', { url: lk.url, apiKey: lk.apiKey, apiSecret: lk.apiSecret });
  project.provide('webhookRelay', relay.url);
  return async () => {
    await lk.child.stop();
    await relay.close();
    await redis.child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
