/**
 * Starts what the configuration does not point elsewhere: redis-server and livekit-server as
 * children bound to 127.0.0.1, and stops them in reverse order.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { ensureLivekitServer, ensureRedisServer } from './install.ts';
import { loadOrCreateLivekitKeys, startLivekitServer, type LivekitCredentials } from './livekit-server.ts';
import { freePort, freeUdpPort, isPortFree, isUdpPortFree } from './ports.ts';
import { pingRedis, startRedisServer } from './redis-server.ts';
import type { ManagedChild } from './child.ts';

export interface Services {
  redisUrl: string;
  livekit: LivekitCredentials & { publicUrl: string };
  stop(): Promise<void>;
}

/** The port of a redis-server that `npm start` is running on this data dir, if it answers. */
export async function runningEmbeddedRedis(dataDir: string): Promise<string | null> {
  try {
    const port = Number(fs.readFileSync(path.join(dataDir, 'redis', 'redis.port'), 'utf8'));
    return Number.isInteger(port) && (await pingRedis(port)) ? `redis://127.0.0.1:${port}` : null;
  } catch {
    return null;
  }
}

async function preferredPort(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : freePort();
}

export async function startServices(config: Config, say: (m: string) => void): Promise<Services> {
  const children: ManagedChild[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await c.stop();
  };
  try {
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const binary = ensureRedisServer(say);
      const port = await preferredPort(6390);
      say(`starting redis-server on 127.0.0.1:${port} (AOF on, data in ${path.join(config.dataDir, 'redis')})`);
      const dir = path.join(config.dataDir, 'redis');
      const redis = await startRedisServer({ binary, port, dir });
      children.push(redis.child);
      // `npm run seed` finds the running server through this file instead of opening the same AOF.
      fs.writeFileSync(path.join(dir, 'redis.port'), String(port));
      redisUrl = redis.url;
    }
    let livekit: Services['livekit'];
    if (config.livekit.embedded) {
      const binary = await ensureLivekitServer(config.home, say);
      const keys = loadOrCreateLivekitKeys(config.dataDir);
      const port = await preferredPort(7880);
      const rtcTcpPort = await preferredPort(7881);
      const rtcUdpPort = (await isUdpPortFree(7882)) ? 7882 : await freeUdpPort();
      say(`starting livekit-server on 127.0.0.1:${port}`);
      const lk = await startLivekitServer({
        binary,
        dir: path.join(config.dataDir, 'livekit'),
        port,
        rtcTcpPort,
        rtcUdpPort,
        ...keys,
        webhookUrl: `http://127.0.0.1:${config.port}/webhooks/livekit`,
      });
      children.push(lk.child);
      livekit = {
        url: lk.url,
        apiKey: lk.apiKey,
        apiSecret: lk.apiSecret,
        publicUrl: config.livekit.publicUrl ?? lk.url,
      };
    } else {
      livekit = config.livekit;
    }
    return { redisUrl, livekit, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
