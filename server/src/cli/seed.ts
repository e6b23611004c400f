/**
 * `npm run seed`: reloads the demo content. Organizer-made records are never touched.
 * Uses REDIS_URL, else the redis-server that `npm start` runs, else starts one briefly.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/index.ts';
import { runningEmbeddedRedis } from '../services/embedded.ts';
import { ensureRedisServer } from '../services/install.ts';
import { freePort } from '../services/ports.ts';
import { startRedisServer } from '../services/redis-server.ts';
import { connectRedis } from '../store/redis.ts';
import { CatalogueStore } from '../events/store.ts';
import { loadDemo } from '../demo/load.ts';
import { fail, say } from './say.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, 2);
    throw err;
  }
  let url = config.redisUrl ?? (await runningEmbeddedRedis(config.dataDir));
  let stopRedis = async () => {};
  if (!url) {
    say('starting redis-server briefly to load the demo');
    const server = await startRedisServer({
      binary: ensureRedisServer(say),
      port: await freePort(),
      dir: path.join(config.dataDir, 'redis'),
    });
    url = server.url;
    stopRedis = () => server.child.stop();
  }
  const redis = await connectRedis(url);
  const report = await loadDemo(new CatalogueStore(redis));
  say(`demo reloaded: ${report.removed} old demo records removed, ${report.created} created`);
  if (report.skipped.length) say(`kept organizer records that hold demo addresses: ${report.skipped.join(', ')}`);
  await redis.quit();
  await stopRedis();
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
