/**
 * The live features (stage, Q&A, polls, chat) register how to read their state here; the
 * `live:snapshot` socket event and each feature's REST snapshot route answer from it.
 */
import type { LiveFeature, LiveSnapshot, Role } from '@colloquy/shared';
import type { EventRecord } from '../events/store.ts';
import type { Redis } from '../store/redis.ts';
import { DeltaHub } from './deltas.ts';
import { LiveWriter } from './ops.ts';

/** Who is looking: the state a feature returns depends on the role (and the person, for "my vote"). */
export interface Viewer {
  role: Role;
  userId: string | null;
}

export const isStaff = (role: Role) => role === 'moderator' || role === 'organizer';

export interface LiveFeatureModule {
  feature: LiveFeature;
  /** The feature's state for this viewer and the version it is at, read atomically. */
  snapshot(event: EventRecord, viewer: Viewer): Promise<{ version: number; state: unknown }>;
}

export class Live {
  readonly hub: DeltaHub;
  readonly writer: LiveWriter;
  private readonly modules = new Map<LiveFeature, LiveFeatureModule>();

  constructor(redis: Redis, hub = new DeltaHub()) {
    this.hub = hub;
    this.writer = new LiveWriter(redis, hub);
  }

  register(m: LiveFeatureModule): void {
    this.modules.set(m.feature, m);
  }

  has(feature: LiveFeature): boolean {
    return this.modules.has(feature);
  }

  async snapshot(event: EventRecord, feature: LiveFeature, viewer: Viewer): Promise<LiveSnapshot> {
    const m = this.modules.get(feature);
    const { version, state } = m ? await m.snapshot(event, viewer) : { version: 0, state: null };
    return { slug: event.slug, feature, version, state };
  }
}
