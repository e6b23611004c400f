/**
 * The recent caption lines of each event, for late joiners: `cq:captions:{eventId}`, a list of
 * line JSONs, oldest first, capped at `CAPTIONS_LIMITS.keptLines` and expiring some hours after
 * the last line. In Redis (not in a Node process) so any node can answer the REST read.
 */
import { CAPTIONS_LIMITS, type CaptionLine } from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';

const key = (eventId: string) => `${PREFIX}captions:${eventId}`;

export class CaptionsStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async push(eventId: string, lines: readonly CaptionLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.redis
      .multi()
      .rPush(
        key(eventId),
        lines.map((l) => JSON.stringify(l)),
      )
      .lTrim(key(eventId), -CAPTIONS_LIMITS.keptLines, -1)
      .expire(key(eventId), CAPTIONS_LIMITS.keepSeconds)
      .exec();
  }

  /** The newest `n` lines, oldest first. */
  async recent(eventId: string, n: number = CAPTIONS_LIMITS.recentLines): Promise<CaptionLine[]> {
    const raw = await this.redis.lRange(key(eventId), -n, -1);
    return raw.map((r) => JSON.parse(r) as CaptionLine);
  }
}
