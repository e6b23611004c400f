/**
 * `npm start`: parses the configuration, starts redis-server and livekit-server as children
 * unless pointed elsewhere, loads the demo into an empty catalogue, and serves the app.
 * SIGINT and SIGTERM stop the app and then the children.
 */
import path from 'node:path';
import { startServices } from '../services/embedded.ts';
import { InstallError } from '../services/install.ts';
import { connectRedis } from '../store/redis.ts';
import { createLogger } from '../log/logger.ts';
import { createApp, loadWebHandler } from '../http/app.ts';
import { CatalogueStore } from '../events/store.ts';
import { loadDemo } from '../demo/load.ts';
import { ensureDemoOrganizer } from '../demo/organizer.ts';
import { startDemoArchives } from '../demo/archive/background.ts';
import { loadOrCreateSecret } from '../services/secret.ts';
import { fail, say, configOrExit } from './say.ts';

const WEB_BUILD = path.resolve(import.meta.dirname, '../../../web/build');

async function main() {
  const config = configOrExit();
  const services = await startServices(config, say).catch((err: unknown) => {
    if (err instanceof InstallError) return fail(err.message, 3);
    return fail(`could not start the embedded services: ${(err as Error).message}`);
  });
  const redis = await connectRedis(services.redisUrl);
  const store = new CatalogueStore(redis);
  if (config.demoContent && (await store.isEmpty())) {
    const report = await loadDemo(store);
    say(`loaded the Living Lab demo (${report.created} records)`);
  }
  const demoLogin = config.demoContent ? await ensureDemoOrganizer(redis, config.dataDir) : null;
  const log = createLogger(config.logLevel);
  const app = createApp({
    config,
    redis,
    livekit: services.livekit,
    log,
    web: await loadWebHandler(WEB_BUILD),
    secret: config.secretKey ?? loadOrCreateSecret(config.dataDir),
    mediaDir: path.join(config.dataDir, 'media'),
    recording: { ...config.recording, dir: path.join(config.dataDir, 'recordings') },
  });
  await app.listen(config.port, config.host);
  say(`listening on ${config.publicUrl}  (health: ${config.publicUrl}/healthz)`);
  if (demoLogin)
    say(`demo organizer: ${demoLogin.email} / ${demoLogin.password}  (log in at ${config.publicUrl}/login)`);
  // The past panels' recordings, transcripts and moments, made in the background (minutes, once).
  const demoArchives = config.demoContent ? startDemoArchives(app, { redis, dataDir: config.dataDir, log, say }) : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await demoArchives?.stop().catch(() => {});
    await app.close().catch(() => {});
    await redis.quit().catch(() => {});
    await services.stop();
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
