/**
 * The app factory: Express (REST, calendar, health, the SvelteKit handler) and Socket.IO on one
 * HTTP server. Everything it needs is passed in, so tests build the same app on port 0 with their
 * own Redis and LiveKit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { LIMITS } from '@colloquy/shared';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import { CatalogueStore } from '../events/store.ts';
import { CatalogueService } from '../events/service.ts';
import { calendarRoute, catalogueApi } from '../events/routes.ts';
import { eventSocketHandlers } from '../events/socket.ts';
import { healthChecker } from '../health/health.ts';
import { createRealtime } from '../realtime/server.ts';
import type { IoServer } from '../realtime/types.ts';
import { errorHandler, notFoundApi } from './errors.ts';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'trustProxy'>;
  redis: Redis;
  livekit: LivekitCredentials;
  log: Logger;
  /** The SvelteKit adapter-node handler; omitted in API-only tests. */
  web?: RequestHandler | null;
  now?: () => Date;
}

export interface App {
  express: express.Express;
  server: http.Server;
  io: IoServer;
  catalogue: { store: CatalogueStore; service: CatalogueService };
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/** Fields Express adds to the Node request for SvelteKit's hooks (not headers: clients cannot set them). */
export interface ColloquyRequestContext {
  /** Loopback origin of this server, for server-side loads of /api. */
  apiOrigin: string;
}

export function createApp(deps: AppDeps): App {
  const { config, redis, log } = deps;
  const store = new CatalogueStore(redis);
  const service = new CatalogueService(store, deps.now);
  const health = healthChecker(redis, deps.livekit);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  app.use(pinoHttp({ logger: log, autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  app.get('/healthz', async (_req, res) => {
    const report = await health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: LIMITS.jsonBodyBytes, strict: true }));
  api.use(catalogueApi(service));
  api.use(notFoundApi);
  app.use('/api', api);
  app.use(calendarRoute(service, config.publicUrl));

  let apiOrigin = '';
  if (deps.web) {
    const web = deps.web;
    app.use((req, res, next) => {
      (req as unknown as { colloquy: ColloquyRequestContext }).colloquy = { apiOrigin };
      web(req, res, next);
    });
  }
  app.use(errorHandler(log));

  const server = http.createServer(app);
  const io = createRealtime(server, {
    publicUrl: config.publicUrl,
    log,
    handlers: { ...eventSocketHandlers(service) },
  });

  return {
    express: app,
    server,
    io,
    catalogue: { store, service },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          // A wildcard bind is reachable on loopback; SSR loads never leave the machine.
          const hostPart =
            addr.address === '0.0.0.0'
              ? '127.0.0.1'
              : addr.address === '::'
                ? '[::1]'
                : addr.family === 'IPv6'
                  ? `[${addr.address}]`
                  : addr.address;
          apiOrigin = `http://${hostPart}:${addr.port}`;
          resolve(apiOrigin);
        });
      });
    },
    async close() {
      await io.close(); // also closes the HTTP server
      server.closeAllConnections();
    },
  };
}

/** Loads the built SvelteKit handler (web/build/handler.js). */
export async function loadWebHandler(buildDir: string): Promise<RequestHandler> {
  const mod = (await import(`${buildDir}/handler.js`)) as { handler: RequestHandler };
  return mod.handler;
}
