/** The polls feature: its socket handlers and REST routes (filled in by its issue). */
import type { POLL_EVENT_SCHEMAS } from '@colloquy/shared';
import type { Feature, FeatureDeps } from '../live/feature.ts';

export function pollsFeature(_d: FeatureDeps): Feature<keyof typeof POLL_EVENT_SCHEMAS> {
  return { socketHandlers: {}, routes() {} };
}
