import path from 'node:path';
import type { Config } from '../config/index.ts';
import { runningEmbeddedRedis } from '../services/embedded.ts';
import { ensureRedisServer } from '../services/install.ts';
import { freePort } from '../services/ports.ts';
import { startRedisServer } from '../services/redis-server.ts';
import { connectRedis, type Redis } from '../store/redis.ts';

/**
 * A Redis client for one-off commands: REDIS_URL, else the redis-server `npm start` runs on this
 * data dir, else one started just for this command (never two servers on one AOF).
 */
export async function redisForCommand(
  config: Config,
  say: (m: string) => void,
): Promise<{ redis: Redis; done(): Promise<void> }> {
  let url = config.redisUrl ?? (await runningEmbeddedRedis(config.dataDir));
  let stop = async () => {};
  if (!url) {
    say('starting redis-server for this command');
    const server = await startRedisServer({
      binary: ensureRedisServer(say),
      port: await freePort(),
      dir: path.join(config.dataDir, 'redis'),
    });
    url = server.url;
    stop = () => server.child.stop();
  }
  const redis = await connectRedis(url);
  return {
    redis,
    async done() {
      await redis.quit();
      await stop();
    },
  };
}
