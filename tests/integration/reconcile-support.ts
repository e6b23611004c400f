/**
 * A second stage feature on a running test app, built from the app's own parts (Redis, live
 * writer and delta hub, auth, catalogue, lifecycle, Socket.IO): its writes bump the same versions
 * and reach the same sockets as the app's. Tests use it to call `reconcileAudience` directly, to
 * run the reconcile timers at a short interval, or to point it at a LiveKit that is not there —
 * what the app's own stage feature (30 s, the run's livekit-server) does not allow from outside.
 */
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { stageFeature, type StageFeature } from '../../server/src/stage/feature.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { createModeration } from '../../server/src/moderation/moderation.ts';
import type { LivekitCredentials } from '../../server/src/services/livekit-server.ts';
import type { TestApp } from '../support/app.ts';

export interface TestStage {
  stage: StageFeature;
  /** Every log line (parsed JSON) the feature wrote at info level and above. */
  logs: { level: number; msg: string }[];
}

export function stageOn(t: TestApp, o: { reconcileMs?: number; livekit?: LivekitCredentials } = {}): TestStage {
  const logs: TestStage['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as never);
      done();
    },
  });
  const stage = stageFeature(
    {
      redis: t.redis,
      live: t.app.live,
      auth: t.app.auth,
      catalogue: t.app.catalogue.store,
      livekit: o.livekit ?? inject('livekit'),
      log: createLogger('info', sink),
      moderation: createModeration(t.redis),
      lifecycle: t.app.lifecycle,
      endAccess: async () => {},
      io: () => t.app.io,
      now: () => new Date(),
    },
    { reconcileMs: o.reconcileMs ?? 0 },
  );
  return { stage, logs };
}
