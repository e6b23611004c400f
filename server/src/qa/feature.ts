/** The qa feature: its socket handlers and REST routes (filled in by its issue). */
import type { QA_EVENT_SCHEMAS } from '@colloquy/shared';
import type { Feature, FeatureDeps } from '../live/feature.ts';

export function qaFeature(_d: FeatureDeps): Feature<keyof typeof QA_EVENT_SCHEMAS> {
  return { socketHandlers: {}, routes() {} };
}
