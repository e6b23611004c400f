/**
 * The app's domain services, built once per app and wired to each other: catalogue, auth, the
 * live-state core and its features (stage, Q&A, polls, chat), recording, transcripts, captions,
 * search and the archive. Nothing here knows about Express; `routes.ts` mounts their HTTP side
 * and `app.ts` puts them on a server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../log/logger.ts';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import { CatalogueStore } from '../events/store.ts';
import { CatalogueService } from '../events/service.ts';
import { createAuth, type Auth } from '../auth/services.ts';
import { createAccessEnder } from '../stage/moderation.ts';
import { stageFeature, type StageOptions } from '../stage/feature.ts';
import { qaFeature } from '../qa/feature.ts';
import { pollsFeature } from '../polls/feature.ts';
import { chatFeature } from '../chat/feature.ts';
import { Live } from '../live/registry.ts';
import { EventLifecycle } from '../live/lifecycle.ts';
import { createModeration } from '../moderation/moderation.ts';
import type { FeatureDeps } from '../live/feature.ts';
import { createTranscripts, type Transcripts } from '../transcripts/transcripts.ts';
import type { Transcriber } from '../transcripts/engine.ts';
import { SearchService } from '../archive/search/search.ts';
import { createArchive } from '../archive/routes.ts';
import { connectArchivePipeline, type ArchivePipeline } from '../archive/pipeline.ts';
import type { IoServer } from '../realtime/types.ts';
import { RecordingService, type RecordingOptions } from '../recording/recording.ts';
import { createCaptions, type LiveCaptions } from '../captions/captions.ts';
import type { Config } from '../config/index.ts';
import { clientIp } from './client.ts';

export interface ServiceDeps {
  config: Pick<Config, 'publicUrl'> & Partial<Pick<Config, 'transcribe'>>;
  transcriber?: Transcriber | undefined;
  redis: Redis;
  livekit: LivekitCredentials & { publicUrl?: string };
  log: Logger;
  secret: string;
  mediaDir: string;
  now?: (() => Date) | undefined;
  recording?: (Partial<RecordingOptions> & { pollMs?: number; stopGraceMs?: number }) | undefined;
  stage?: StageOptions | undefined;
  /** The shared secret SvelteKit's server-side loads prove themselves with (see client.ts). */
  internal: string;
  /** The Socket.IO server, once it exists. */
  io(): IoServer | null;
  /** Where the app itself listens (the built-in recorder opens its pages there). */
  apiOrigin(): string;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(d: ServiceDeps) {
  const { config, redis, log } = d;
  const now = () => (d.now ? d.now() : new Date());
  const store = new CatalogueStore(redis);
  const catalogue = { store, service: new CatalogueService(store, d.now) };
  const auth: Auth = createAuth(redis, {
    publicUrl: config.publicUrl,
    secret: d.secret,
    ip: (req) => clientIp(req, d.internal),
  });
  const access = createAccessEnder(d.livekit, auth.kicker, log);
  const live = new Live(redis);
  const transcripts: Transcripts = createTranscripts(redis, config.transcribe, d.transcriber);
  const search = new SearchService({ redis, catalogue: store, transcripts, log });
  transcripts.onChange((eventId) => search.refreshEvent(eventId));
  const lifecycle = new EventLifecycle((err, hook, eventId) =>
    log.error({ err, hook, eventId }, 'a lifecycle listener failed'),
  );
  const featureDeps: FeatureDeps = {
    redis,
    live,
    auth,
    catalogue: store,
    livekit: d.livekit,
    log,
    moderation: createModeration(redis),
    lifecycle,
    endAccess: access.endAccess,
    io: d.io,
    now,
  };
  const features = {
    stage: stageFeature(featureDeps, d.stage),
    qa: qaFeature(featureDeps),
    polls: pollsFeature(featureDeps),
    chat: chatFeature(featureDeps),
  };
  const recordingDir = d.recording?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-recordings-'));
  const recording = new RecordingService({
    redis,
    catalogue: store,
    livekit: d.livekit,
    log,
    secret: d.secret,
    mediaDir: d.mediaDir,
    options: {
      enabled: d.recording?.enabled ?? true,
      recorder: d.recording?.recorder ?? 'external',
      chromiumPath: d.recording?.chromiumPath ?? '/usr/bin/chromium',
      dir: recordingDir,
    },
    appOrigin: d.apiOrigin,
    now,
    ...(d.recording?.pollMs ? { pollMs: d.recording.pollMs } : {}),
    ...(d.recording?.stopGraceMs ? { stopGraceMs: d.recording.stopGraceMs } : {}),
  });
  lifecycle.subscribe(recording.hooks);
  const captions: LiveCaptions = createCaptions({
    recording,
    transcripts,
    catalogue: store,
    redis,
    lifecycle,
    io: d.io,
    log,
    now,
  });
  const archive = createArchive({
    recording,
    transcripts,
    live,
    redis,
    lifecycle: (event) => features.stage.store.lifecycle(event),
  });
  const pipeline: ArchivePipeline = connectArchivePipeline({
    recording,
    transcripts,
    search,
    archive,
    catalogue: store,
    lifecycle,
    log,
  });

  return {
    catalogue,
    auth,
    access,
    live,
    lifecycle,
    features,
    transcripts,
    search,
    recording,
    recordingDir,
    captions,
    archive,
    pipeline,
    now,
    /** Stops timers and background work, in dependency order (the caller closes the server after). */
    async close(): Promise<void> {
      pipeline.close();
      for (const f of Object.values(features)) await f.close?.();
      search.close();
      live.hub.close();
      await captions.close();
      await recording.close();
    },
  };
}
