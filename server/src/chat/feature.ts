/** The chat feature: its socket handlers and REST routes (filled in by its issue). */
import type { CHAT_EVENT_SCHEMAS } from '@colloquy/shared';
import type { Feature, FeatureDeps } from '../live/feature.ts';

export function chatFeature(_d: FeatureDeps): Feature<keyof typeof CHAT_EVENT_SCHEMAS> {
  return { socketHandlers: {}, routes() {} };
}
