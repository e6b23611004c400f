/**
 * The two HTTP servers a benchmark compares, both in the benchmark's process on 127.0.0.1 and
 * measured one at a time: the real Colloquy app (web handler, demo catalogue) and a bare Express
 * app with one handler, the baseline that says what this machine and Node give for free.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp, loadWebHandler } from '../../server/src/http/app.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { connectRedis } from '../../server/src/store/redis.ts';
import { CatalogueStore } from '../../server/src/events/store.ts';
import { loadDemo } from '../../server/src/demo/load.ts';
import { freePort } from '../../server/src/services/ports.ts';
import type { LivekitCredentials } from '../../server/src/services/livekit-server.ts';

/** The ended demo panel whose page the HTTP suite measures as the past-event page. */
export const PAST_EVENT_SLUG = 'living-lab-3-build-a-learning-ecosystem';

export const WEB_BUILD = path.resolve(import.meta.dirname, '../../web/build');

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

const BARE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head>' +
  '<body><h1>Hello</h1><p>A bare Express handler: the baseline.</p></body></html>';

/** Express with one handler returning a small HTML string. */
export async function startBareServer(): Promise<RunningServer> {
  const app = express();
  app.get('/', (_req, res) => {
    res.type('html').send(BARE_PAGE);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The real app as `npm start` builds it (Express, helmet, pino-http, REST API, Socket.IO, the
 * SvelteKit handler) on its own Redis with the demo catalogue. Logs are silent: writing one
 * line per request to our stdout would both spoil the report and measure the terminal.
 */
export async function startColloquy(opts: {
  redisUrl: string;
  livekit: LivekitCredentials;
  mediaDir: string;
}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(WEB_BUILD, 'handler.js'))) {
    throw new Error(`no web build at ${WEB_BUILD}: run \`npm run build -w web\` (npm run bench does it for you)`);
  }
  const redis = await connectRedis(opts.redisUrl);
  try {
    await loadDemo(new CatalogueStore(redis));
    const port = await freePort();
    const app = createApp({
      config: { publicUrl: `http://127.0.0.1:${port}`, trustProxy: false },
      redis,
      livekit: opts.livekit,
      mediaDir: opts.mediaDir,
      log: createLogger('silent'),
      web: await loadWebHandler(WEB_BUILD),
    });
    const url = await app.listen(port, '127.0.0.1');
    // The past-event page is measured with an hour of transcript (720 cues of 5 s) on it.
    const past = await app.catalogue.store.events.getBySlug(PAST_EVENT_SLUG);
    if (past) {
      const words = 'school leaders share what they learned about evaluation networks and families'.split(' ');
      const cues = Array.from({ length: 720 }, (_, i) => ({
        start: i * 5,
        end: i * 5 + 4.8,
        text: Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' '),
      }));
      await app.transcripts.replace(past.id, cues, { source: 'other' });
    }
    return {
      url,
      async close() {
        await app.close();
        await redis.quit();
      },
    };
  } catch (err) {
    await redis.quit().catch(() => {});
    throw err;
  }
}
