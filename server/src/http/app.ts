/**
 * The app factory: Express (REST, calendar, health, media, the SvelteKit handler) and Socket.IO
 * on one HTTP server. Everything it needs is passed in, so tests build the same app on port 0
 * with their own Redis and LiveKit. The domain services are built in services.ts, the HTTP routes
 * mounted in routes.ts, the common middleware in middleware.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { LIMITS } from '@colloquy/shared';
import type { Config } from '../config/index.ts';
import { PROTOCOL_HEADER, prepareWebHandlerEnv } from '../config/web-handler.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import type { CatalogueStore } from '../events/store.ts';
import type { CatalogueService } from '../events/service.ts';
import { eventSocketHandlers } from '../events/socket.ts';
import type { Auth } from '../auth/services.ts';
import { authSocketHandlers } from '../auth/socket.ts';
import type { Live } from '../live/registry.ts';
import type { EventLifecycle } from '../live/lifecycle.ts';
import { liveSocketHandlers } from '../live/socket.ts';
import type { Transcripts } from '../transcripts/transcripts.ts';
import type { Transcriber } from '../transcripts/engine.ts';
import type { SearchService } from '../archive/search/search.ts';
import type { ArchivePipeline } from '../archive/pipeline.ts';
import { createRealtime } from '../realtime/server.ts';
import type { HandlerTable } from '../realtime/handlers.ts';
import type { IoServer } from '../realtime/types.ts';
import type { RecordingService, RecordingOptions } from '../recording/recording.ts';
import type { LiveCaptions } from '../captions/captions.ts';
import type { StageOptions } from '../stage/feature.ts';
import { clientIp, internalSecret, type ColloquyRequestContext } from './client.ts';
import { errorHandler, notFoundApi } from './errors.ts';
import type { RouteSpec } from './guard.ts';
import { apiHeaders, requestLog, securityHeaders } from './middleware.ts';
import { sameOriginWrites } from './origin.ts';
import { mountRoutes } from './routes.ts';
import { createServices } from './services.ts';

export type { ColloquyRequestContext };

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'trustProxy'> & Partial<Pick<Config, 'transcribe'>>;
  /** The speech engine; made from `config.transcribe` when omitted (pocketsphinx without a URL). */
  transcriber?: Transcriber;
  redis: Redis;
  livekit: LivekitCredentials & { publicUrl?: string };
  log: Logger;
  /** Signs invite and join links (kept under DATA_DIR, or SECRET_KEY); random when omitted (tests). */
  secret?: string;
  /** Where uploaded media (speaker photos) is written and served from; a temp dir when omitted. */
  mediaDir?: string;
  /** The SvelteKit adapter-node handler; omitted in API-only tests. */
  web?: RequestHandler | null;
  now?: () => Date;
  /** Recording (server/src/recording); omitted: on, with an external recorder, raw files in a temp dir. */
  recording?: Partial<RecordingOptions> & { pollMs?: number; stopGraceMs?: number };
  /** The stage's options (how often a live audience is reconciled with LiveKit). */
  stage?: StageOptions;
}

export interface App {
  express: express.Express;
  server: http.Server;
  io: IoServer;
  auth: Auth;
  live: Live;
  /** After processing: transcription, then search (see archive/pipeline.ts). */
  archivePipeline: ArchivePipeline;
  /** Going live and ending, as features hear it. */
  lifecycle: EventLifecycle;
  catalogue: { store: CatalogueStore; service: CatalogueService };
  transcripts: Transcripts;
  /** Built in the background after start: `search.ready()`, `search.status()`. */
  search: SearchService;
  /** Every guarded HTTP route, with its action (the role-matrix test walks this and Express). */
  routes: RouteSpec[];
  /** Every socket event with its action. */
  socketHandlers: HandlerTable;
  /** Recording: hooks (onLive/onEnded), getRecording, ingestFile, setAfterProcessing. */
  recording: RecordingService;
  /** Live captions from the recording's audio (`stats(eventId)`: the measured delays). */
  captions: LiveCaptions;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

export function createApp(input: AppDeps): App {
  const deps = {
    ...input,
    secret: input.secret ?? crypto.randomBytes(32).toString('base64url'),
    mediaDir: input.mediaDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-media-')),
  };
  const { config, redis, log } = deps;
  const internal = internalSecret();
  let io: IoServer | null = null;
  let apiOrigin = '';
  const s = createServices({ ...deps, internal, io: () => io, apiOrigin: () => apiOrigin });
  const { root, api, registry } = mountRoutes(s, {
    publicUrl: config.publicUrl,
    redis,
    livekit: deps.livekit,
    log,
    secret: deps.secret,
    mediaDir: deps.mediaDir,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config.publicUrl), requestLog(log));
  app.use(
    '/api',
    apiHeaders,
    sameOriginWrites(config.publicUrl),
    express.json({ limit: LIMITS.jsonBodyBytes, strict: true }),
    api.router,
    notFoundApi,
  );
  app.use('/media', express.static(deps.mediaDir, { immutable: true, maxAge: '365d', index: false, dotfiles: 'deny' }));
  app.use(root.router);
  if (deps.web) {
    const web = deps.web;
    app.use((req, res, next) => {
      const context: ColloquyRequestContext = {
        apiOrigin,
        internalSecret: internal,
        clientIp: clientIp(req, internal),
      };
      (req as unknown as { colloquy: ColloquyRequestContext }).colloquy = context;
      req.headers[PROTOCOL_HEADER] = req.protocol;
      web(req, res, next);
    });
  }
  app.use(errorHandler(log));

  const server = http.createServer(app);
  const { features } = s;
  const socketHandlers: HandlerTable = {
    ...eventSocketHandlers(),
    ...authSocketHandlers(),
    ...liveSocketHandlers(s.live),
    ...features.stage.socketHandlers,
    ...features.qa.socketHandlers,
    ...features.polls.socketHandlers,
    ...features.chat.socketHandlers,
  };
  const realtime = createRealtime(server, {
    publicUrl: config.publicUrl,
    handlers: socketHandlers,
    deps: { log, principals: s.auth.principals, catalogue: s.catalogue.store, limits: s.auth.limits },
  });
  io = realtime;
  s.auth.kicker.io = realtime;
  s.live.hub.io = realtime;
  // Built in the background: the server listens meanwhile and /api/search/status tells the state.
  void s.search.rebuild();

  return {
    express: app,
    server,
    io: realtime,
    auth: s.auth,
    live: s.live,
    archivePipeline: s.pipeline,
    lifecycle: s.lifecycle,
    catalogue: s.catalogue,
    transcripts: s.transcripts,
    search: s.search,
    routes: registry,
    socketHandlers,
    recording: s.recording,
    captions: s.captions,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          apiOrigin = loopbackOrigin(server.address() as AddressInfo);
          s.recording.start();
          resolve(apiOrigin);
        });
      });
    },
    async close() {
      await s.close();
      await realtime.close(); // also closes the HTTP server
      server.closeAllConnections();
      if (!input.mediaDir) fs.rmSync(deps.mediaDir, { recursive: true, force: true });
      if (!input.recording?.dir) fs.rmSync(s.recordingDir, { recursive: true, force: true });
    },
  };
}

/** Where the app answers on this machine: a wildcard bind is reachable on loopback; SSR loads never leave it. */
function loopbackOrigin(addr: AddressInfo): string {
  const h =
    addr.address === '0.0.0.0'
      ? '127.0.0.1'
      : addr.address === '::'
        ? '[::1]'
        : addr.family === 'IPv6'
          ? `[${addr.address}]`
          : addr.address;
  return `http://${h}:${addr.port}`;
}

/** Loads the built SvelteKit handler (web/build/handler.js). */
export async function loadWebHandler(buildDir: string): Promise<RequestHandler> {
  prepareWebHandlerEnv();
  const mod = (await import(`${buildDir}/handler.js`)) as { handler: RequestHandler };
  return mod.handler;
}
