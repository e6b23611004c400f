/**
 * Builds the real app for a test file: its own Redis database on the run's redis-server, the
 * run's livekit-server, port chosen by the OS on 127.0.0.1, and (for browser tests) the built
 * SvelteKit handler.
 */
import path from 'node:path';
import { inject } from 'vitest';
import { createApp, loadWebHandler, type App, type AppDeps } from '../../server/src/http/app.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { connectRedis, type Redis } from '../../server/src/store/redis.ts';
import { freePort } from '../../server/src/services/ports.ts';
import { loadDemo } from '../../server/src/demo/load.ts';

export const WEB_BUILD = path.resolve(import.meta.dirname, '../../web/build');

export interface TestApp {
  app: App;
  redis: Redis;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** A fresh, empty Redis database for this caller (database 0 holds only the counter). */
export async function freshRedis(): Promise<Redis> {
  const base = inject('redisUrl');
  const counter = await connectRedis(base);
  const db = await counter.incr('test:next-db');
  await counter.quit();
  if (db > 255) throw new Error('more test databases than the test redis-server has');
  const redis = await connectRedis(`${base}/${db}`);
  await redis.flushDb();
  return redis;
}

export async function startTestApp(
  opts: {
    web?: boolean;
    demo?: boolean;
    now?: () => Date;
    recording?: AppDeps['recording'];
    /** Another livekit-server than the run's (a test that stops and restarts its own). */
    livekit?: AppDeps['livekit'];
    /**
     * How often a live event's audience is reconciled with LiveKit: never by default, since tests
     * post made-up webhooks for participants LiveKit does not have (stage-reconcile runs its own).
     */
    reconcileMs?: number;
  } = {},
): Promise<TestApp> {
  const redis = await freshRedis();
  if (opts.demo) {
    const { CatalogueStore } = await import('../../server/src/events/store.ts');
    await loadDemo(new CatalogueStore(redis), opts.now?.());
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = createApp({
    config: { publicUrl: url, trustProxy: false },
    redis,
    livekit: opts.livekit ?? inject('livekit'),
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    web: opts.web ? await loadWebHandler(WEB_BUILD) : null,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.recording ? { recording: opts.recording } : {}),
    stage: { reconcileMs: opts.reconcileMs ?? 0 },
  });
  await app.listen(port, '127.0.0.1');
  const relay = inject('webhookRelay');
  await fetch(`${relay}/register`, { method: 'POST', body: url });
  return {
    app,
    redis,
    url,
    async close() {
      await fetch(`${relay}/unregister`, { method: 'POST', body: url }).catch(() => {});
      await app.close();
      await redis.quit();
    },
  };
}
