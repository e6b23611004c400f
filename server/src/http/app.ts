/**
 * The app factory: Express (REST, calendar, health, media, the SvelteKit handler) and Socket.IO
 * on one HTTP server. Everything it needs is passed in, so tests build the same app on port 0
 * with their own Redis and LiveKit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { LIMITS } from '@colloquy/shared';
import type { Config } from '../config/index.ts';
import { PROTOCOL_HEADER, prepareWebHandlerEnv } from '../config/web-handler.ts';
import { redactUrl, type Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import { CatalogueStore } from '../events/store.ts';
import { CatalogueService } from '../events/service.ts';
import { calendarRoute, catalogueApi } from '../events/routes.ts';
import { catalogueAdminApi } from '../events/admin-routes.ts';
import { eventSocketHandlers } from '../events/socket.ts';
import { createAuth, type Auth } from '../auth/services.ts';
import { authRoutes } from '../auth/routes.ts';
import { InviteStore } from '../auth/invites.ts';
import { inviteRoutes } from '../auth/invite-routes.ts';
import { AudienceStore } from '../auth/audience.ts';
import { audienceRoutes } from '../auth/audience-routes.ts';
import { authSocketHandlers } from '../auth/socket.ts';
import { createAccessEnder } from '../stage/moderation.ts';
import { stageRoutes } from '../stage/routes.ts';
import { livekitWebhookRoute } from '../stage/webhooks.ts';
import { stageFeature } from '../stage/feature.ts';
import { qaFeature } from '../qa/feature.ts';
import { pollsFeature } from '../polls/feature.ts';
import { chatFeature } from '../chat/feature.ts';
import { Live } from '../live/registry.ts';
import { EventLifecycle } from '../live/lifecycle.ts';
import { createModeration } from '../moderation/moderation.ts';
import { liveSocketHandlers } from '../live/socket.ts';
import type { FeatureDeps } from '../live/feature.ts';
import { healthChecker } from '../health/health.ts';
import { createTranscripts, type Transcripts } from '../transcripts/transcripts.ts';
import type { Transcriber } from '../transcripts/engine.ts';
import { transcriptRoutes } from '../transcripts/routes.ts';
import { SearchService } from '../archive/search/search.ts';
import { searchRoutes } from '../archive/search/routes.ts';
import { archiveRoutes, createArchive } from '../archive/routes.ts';
import { connectArchivePipeline, type ArchivePipeline } from '../archive/pipeline.ts';
import { createRealtime } from '../realtime/server.ts';
import type { HandlerTable } from '../realtime/handlers.ts';
import type { IoServer } from '../realtime/types.ts';
import { clientIp, internalSecret, type ColloquyRequestContext } from './client.ts';
import { errorHandler, notFoundApi } from './errors.ts';
import { GuardedRouter, type RouteSpec } from './guard.ts';
import { sameOriginWrites } from './origin.ts';
import { RecordingService, type RecordingOptions } from '../recording/recording.ts';
import { recordingRoutes } from '../recording/routes.ts';
import { createCaptions, type LiveCaptions } from '../captions/captions.ts';

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
  const store = new CatalogueStore(redis);
  const service = new CatalogueService(store, deps.now);
  const health = healthChecker(redis, deps.livekit);
  const internal = internalSecret();
  const auth = createAuth(redis, {
    publicUrl: config.publicUrl,
    secret: deps.secret,
    ip: (req) => clientIp(req, internal),
  });
  const access = createAccessEnder(deps.livekit, auth.kicker, log);
  const endAccess = access.endAccess;
  const registry: RouteSpec[] = [];
  const live = new Live(redis);
  const transcripts = createTranscripts(redis, config.transcribe, input.transcriber);
  const search = new SearchService({ redis, catalogue: store, transcripts, log });
  transcripts.onChange((eventId) => search.refreshEvent(eventId));
  let io: IoServer | null = null;
  const lifecycle = new EventLifecycle((err, hook, eventId) =>
    log.error({ err, hook, eventId }, 'a lifecycle listener failed'),
  );
  const featureDeps: FeatureDeps = {
    redis,
    live,
    auth,
    catalogue: store,
    livekit: deps.livekit,
    log,
    moderation: createModeration(redis),
    lifecycle,
    endAccess,
    io: () => io,
    now: () => (deps.now ? deps.now() : new Date()),
  };
  const features = {
    stage: stageFeature(featureDeps),
    qa: qaFeature(featureDeps),
    polls: pollsFeature(featureDeps),
    chat: chatFeature(featureDeps),
  };
  const guardDeps = { principals: auth.principals, catalogue: store, registry };
  const recordingDir = input.recording?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-recordings-'));
  const recording = new RecordingService({
    redis,
    catalogue: store,
    livekit: deps.livekit,
    log,
    secret: deps.secret,
    mediaDir: deps.mediaDir,
    options: {
      enabled: input.recording?.enabled ?? true,
      recorder: input.recording?.recorder ?? 'external',
      chromiumPath: input.recording?.chromiumPath ?? '/usr/bin/chromium',
      dir: recordingDir,
    },
    appOrigin: () => apiOrigin,
    now: featureDeps.now,
    ...(input.recording?.pollMs ? { pollMs: input.recording.pollMs } : {}),
    ...(input.recording?.stopGraceMs ? { stopGraceMs: input.recording.stopGraceMs } : {}),
  });
  lifecycle.subscribe(recording.hooks);
  const captions = createCaptions({
    recording,
    transcripts,
    catalogue: store,
    redis,
    lifecycle,
    io: () => io,
    log,
    now: featureDeps.now,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: false, // pages get SvelteKit's nonce CSP; the API sets its own below
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: config.publicUrl.startsWith('https:'),
      // Plain (no-JS) form posts must carry an Origin SvelteKit can check; no-referrer makes it "null".
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(
    pinoHttp({
      logger: log,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      serializers: {
        // Only these fields: the query and params could carry a link's token.
        req: (req: { id?: unknown; method?: string; url?: string; headers?: unknown; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          headers: req.headers,
          remoteAddress: req.remoteAddress,
        }),
      },
    }),
  );

  const root = new GuardedRouter(guardDeps, '');
  root.route('get', '/healthz', 'health:read', async (_req, res) => {
    const report = await health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  calendarRoute(root, service, config.publicUrl);
  livekitWebhookRoute(root, {
    redis,
    livekit: deps.livekit,
    roles: auth.roles,
    log,
    endAccess,
    onEvent: (e) => features.stage.webhook(e),
  });

  const api = new GuardedRouter(guardDeps, '/api');
  catalogueApi(api, service);
  authRoutes(api, auth, access.leaveAllRooms);
  inviteRoutes(api, {
    auth,
    invites: new InviteStore(redis, deps.secret),
    catalogue: store,
    publicUrl: config.publicUrl,
    endAccess,
  });
  audienceRoutes(api, { auth, audience: new AudienceStore(redis, deps.secret), publicUrl: config.publicUrl });
  stageRoutes(api, { auth, endAccess });
  catalogueAdminApi(api, {
    auth,
    store,
    mediaDir: deps.mediaDir,
    statusChange: (event, to, check) => features.stage.statusFromAdmin(event, to, check),
  });
  transcriptRoutes(api, root, transcripts);
  searchRoutes(api, search);
  for (const f of Object.values(features)) f.routes(api);
  captions.routes(api);
  recordingRoutes(api, {
    service: recording,
    catalogue: store,
    livekit: deps.livekit,
    secret: deps.secret,
    now: featureDeps.now,
  });
  const archive = createArchive({
    recording,
    transcripts,
    live,
    redis,
    lifecycle: (event) => features.stage.store.lifecycle(event),
  });
  archiveRoutes(api, archive);
  const pipeline = connectArchivePipeline({
    recording,
    transcripts,
    search,
    archive,
    catalogue: store,
    lifecycle,
    log,
  });

  app.use(
    '/api',
    (_req, res, next) => {
      res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      res.set('Cache-Control', 'no-store');
      next();
    },
    sameOriginWrites(config.publicUrl),
    express.json({ limit: LIMITS.jsonBodyBytes, strict: true }),
    api.router,
    notFoundApi,
  );
  app.use('/media', express.static(deps.mediaDir, { immutable: true, maxAge: '365d', index: false, dotfiles: 'deny' }));
  app.use(root.router);

  let apiOrigin = '';
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
  const socketHandlers: HandlerTable = {
    ...eventSocketHandlers(),
    ...authSocketHandlers(),
    ...liveSocketHandlers(live),
    ...features.stage.socketHandlers,
    ...features.qa.socketHandlers,
    ...features.polls.socketHandlers,
    ...features.chat.socketHandlers,
  };
  const realtime = createRealtime(server, {
    publicUrl: config.publicUrl,
    handlers: socketHandlers,
    deps: { log, principals: auth.principals, catalogue: store, limits: auth.limits },
  });
  io = realtime;
  auth.kicker.io = realtime;
  live.hub.io = realtime;
  // Built in the background: the server listens meanwhile and /api/search/status tells the state.
  void search.rebuild();

  return {
    express: app,
    server,
    io: realtime,
    auth,
    live,
    archivePipeline: pipeline,
    lifecycle,
    catalogue: { store, service },
    transcripts,
    search,
    routes: registry,
    socketHandlers,
    recording,
    captions,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          // A wildcard bind is reachable on loopback; SSR loads never leave the machine.
          const h =
            addr.address === '0.0.0.0'
              ? '127.0.0.1'
              : addr.address === '::'
                ? '[::1]'
                : addr.family === 'IPv6'
                  ? `[${addr.address}]`
                  : addr.address;
          apiOrigin = `http://${h}:${addr.port}`;
          recording.start();
          resolve(apiOrigin);
        });
      });
    },
    async close() {
      pipeline.close();
      for (const f of Object.values(features)) await f.close?.();
      search.close();
      live.hub.close();
      await captions.close();
      await recording.close();
      await realtime.close(); // also closes the HTTP server
      server.closeAllConnections();
      if (!input.mediaDir) fs.rmSync(deps.mediaDir, { recursive: true, force: true });
      if (!input.recording?.dir) fs.rmSync(recordingDir, { recursive: true, force: true });
    },
  };
}

/** Loads the built SvelteKit handler (web/build/handler.js). */
export async function loadWebHandler(buildDir: string): Promise<RequestHandler> {
  prepareWebHandlerEnv();
  const mod = (await import(`${buildDir}/handler.js`)) as { handler: RequestHandler };
  return mod.handler;
}
