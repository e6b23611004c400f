import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../server/src/http/app.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { connectRedis } from '../../server/src/store/redis.ts';
import { ensureRedisServer } from '../../server/src/services/install.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { startRedisServer } from '../../server/src/services/redis-server.ts';
import { startTestApp } from '../support/app.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe('GET /healthz', () => {
  it('answers 200 when Redis and LiveKit are up', async () => {
    const t = await startTestApp();
    cleanups.push(() => t.close());
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', redis: 'ok', livekit: 'ok' });
  });

  it('answers 503 naming Redis when Redis goes away, and recovers when it is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-health-'));
    const binary = ensureRedisServer(() => {});
    const port = await freePort();
    let server = await startRedisServer({ binary, port, dir });
    const redis = await connectRedis(server.url);
    const app = createApp({
      config: { publicUrl: 'http://127.0.0.1', trustProxy: false },
      redis,
      livekit: inject('livekit'),
      log: createLogger('silent'),
    });
    const origin = await app.listen(0, '127.0.0.1');
    cleanups.push(async () => {
      await app.close();
      redis.destroy();
      await server.child.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    await server.child.stop();
    const down = await fetch(`${origin}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'degraded', redis: 'down', livekit: 'ok' });

    server = await startRedisServer({ binary, port, dir });
    await expect.poll(async () => (await fetch(`${origin}/healthz`)).status, { timeout: 10_000 }).toBe(200);
  });

  it('answers 503 naming LiveKit when LiveKit cannot be reached', async () => {
    const redis = await connectRedis(inject('redisUrl'));
    const livekit = { ...inject('livekit'), url: `ws://127.0.0.1:${await freePort()}` };
    const app = createApp({
      config: { publicUrl: 'http://127.0.0.1', trustProxy: false },
      redis,
      livekit,
      log: createLogger('silent'),
    });
    const origin = await app.listen(0, '127.0.0.1');
    cleanups.push(async () => {
      await app.close();
      await redis.quit();
    });
    const res = await fetch(`${origin}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', redis: 'ok', livekit: 'down' });
  });
});
