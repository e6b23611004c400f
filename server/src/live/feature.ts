/** What every live feature (stage, Q&A, polls, chat) is built from, and what it gives the app. */
import type { Auth } from '../auth/services.ts';
import type { CatalogueStore } from '../events/store.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { Logger } from '../log/logger.ts';
import type { HandlerSpec } from '../realtime/handlers.ts';
import type { IoServer } from '../realtime/types.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import type { Redis } from '../store/redis.ts';
import type { ClientEventName } from '@colloquy/shared';
import type { Live } from './registry.ts';
import type { Moderation } from '../moderation/moderation.ts';
import type { EventLifecycle } from './lifecycle.ts';

export interface FeatureDeps {
  redis: Redis;
  live: Live;
  auth: Auth;
  catalogue: CatalogueStore;
  livekit: LivekitCredentials & { publicUrl?: string };
  log: Logger;
  /** The word filter and reports queue (shared by Q&A and chat). */
  moderation: Moderation;
  /** Going live and ending: the stage calls it; recording, polls and captions listen. */
  lifecycle: EventLifecycle;
  /** Cuts a person's sockets for the event and removes them from its LiveKit room. */
  endAccess(eventId: string, userId: string): Promise<void>;
  /** The Socket.IO server, set once it exists (after the HTTP server is made). */
  io(): IoServer | null;
  now(): Date;
}

export type SocketHandlers<E extends ClientEventName> = { [K in E]: HandlerSpec<K> };

export interface Feature<E extends ClientEventName> {
  socketHandlers: SocketHandlers<E>;
  /** Adds the feature's REST routes under /api. */
  routes(api: GuardedRouter): void;
  close?(): void | Promise<void>;
}
