/** The stage feature: lifecycle, raise hand and moderation over sockets (filled in by its issue). */
import type { STAGE_EVENT_SCHEMAS } from '@colloquy/shared';
import type { Feature, FeatureDeps } from '../live/feature.ts';

export function stageFeature(_d: FeatureDeps): Feature<keyof typeof STAGE_EVENT_SCHEMAS> {
  return { socketHandlers: {}, routes() {} };
}
