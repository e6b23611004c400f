/**
 * Every HTTP route of the app, each through a GuardedRouter that names its action (the role-matrix
 * test walks `registry`): `root` for paths outside /api (health, calendar files, LiveKit's
 * webhooks), `api` for /api/*.
 */
import { calendarRoute, catalogueApi } from '../events/routes.ts';
import { catalogueAdminApi } from '../events/admin-routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { InviteStore } from '../auth/invites.ts';
import { inviteRoutes } from '../auth/invite-routes.ts';
import { AudienceStore } from '../auth/audience.ts';
import { audienceRoutes } from '../auth/audience-routes.ts';
import { stageRoutes } from '../stage/routes.ts';
import { livekitWebhookRoute } from '../stage/webhooks.ts';
import { healthChecker } from '../health/health.ts';
import { transcriptRoutes } from '../transcripts/routes.ts';
import { searchRoutes } from '../archive/search/routes.ts';
import { archiveRoutes } from '../archive/routes.ts';
import { recordingRoutes } from '../recording/routes.ts';
import type { Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import { GuardedRouter, type RouteSpec } from './guard.ts';
import type { Services } from './services.ts';

export interface RouteDeps {
  publicUrl: string;
  redis: Redis;
  livekit: LivekitCredentials;
  log: Logger;
  secret: string;
  mediaDir: string;
}

export function mountRoutes(
  s: Services,
  d: RouteDeps,
): { root: GuardedRouter; api: GuardedRouter; registry: RouteSpec[] } {
  const { auth, catalogue, features, access } = s;
  const registry: RouteSpec[] = [];
  const guardDeps = { principals: auth.principals, catalogue: catalogue.store, registry };
  const health = healthChecker(d.redis, d.livekit);

  const root = new GuardedRouter(guardDeps, '');
  root.route('get', '/healthz', 'health:read', async (_req, res) => {
    const report = await health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  calendarRoute(root, catalogue.service, d.publicUrl);
  livekitWebhookRoute(root, {
    redis: d.redis,
    livekit: d.livekit,
    roles: auth.roles,
    log: d.log,
    endAccess: access.endAccess,
    onEvent: (e) => features.stage.webhook(e),
  });

  const api = new GuardedRouter(guardDeps, '/api');
  catalogueApi(api, catalogue.service);
  authRoutes(api, auth, access.leaveAllRooms);
  inviteRoutes(api, {
    auth,
    invites: new InviteStore(d.redis, d.secret),
    catalogue: catalogue.store,
    publicUrl: d.publicUrl,
    endAccess: access.endAccess,
  });
  audienceRoutes(api, { auth, audience: new AudienceStore(d.redis, d.secret), publicUrl: d.publicUrl });
  stageRoutes(api, { auth, endAccess: access.endAccess });
  catalogueAdminApi(api, {
    auth,
    store: catalogue.store,
    mediaDir: d.mediaDir,
    statusChange: (event, to, check) => features.stage.statusFromAdmin(event, to, check),
  });
  transcriptRoutes(api, root, s.transcripts);
  searchRoutes(api, s.search);
  for (const f of Object.values(features)) f.routes(api);
  s.captions.routes(api);
  recordingRoutes(api, {
    service: s.recording,
    catalogue: catalogue.store,
    livekit: d.livekit,
    secret: d.secret,
    now: s.now,
  });
  archiveRoutes(api, s.archive);
  return { root, api, registry };
}
