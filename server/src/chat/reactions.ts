/**
 * Emoji reactions: each accepted one is counted in Redis at once (HINCRBY, so totals are exact
 * across nodes), and the node that took it adds it to a burst that goes out on a short tick as one
 * `reaction:burst` per event room: this tick's counts (for the floating animation) and the
 * event's totals read back from Redis. A storm of reactions is a few packets a second.
 */
import type { ReactionBurst, ReactionCounts, ReactionEmoji } from '@colloquy/shared';
import { eventRoom } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Redis } from '../store/redis.ts';
import { chatKeys, reactionCounts } from './store.ts';

export const REACTION_TICK_MS = 250;

export class ReactionHub {
  private readonly redis: Redis;
  private readonly io: () => IoServer | null;
  private readonly tickMs: number;
  private readonly pending = new Map<string, { slug: string; burst: ReactionCounts }>();
  private timer: NodeJS.Timeout | null = null;
  /** Bursts emitted since start (tests and benchmarks). */
  emitted = 0;

  constructor(redis: Redis, io: () => IoServer | null, tickMs = REACTION_TICK_MS) {
    this.redis = redis;
    this.io = io;
    this.tickMs = tickMs;
  }

  async add(event: { id: string; slug: string }, emoji: ReactionEmoji): Promise<void> {
    await this.redis.hIncrBy(chatKeys(event.id).reactions, emoji, 1);
    let p = this.pending.get(event.id);
    if (!p) this.pending.set(event.id, (p = { slug: event.slug, burst: {} }));
    p.burst[emoji] = (p.burst[emoji] ?? 0) + 1;
    this.timer ??= setTimeout(() => void this.flush(), this.tickMs);
  }

  /** Sends every pending burst now (also called by the tick). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    await Promise.all(
      batches.map(async ([eventId, p]) => {
        const totals = reactionCounts(await this.redis.hGetAll(chatKeys(eventId).reactions));
        const payload: ReactionBurst = { slug: p.slug, burst: p.burst, totals };
        this.io()?.to(eventRoom(eventId)).emit('reaction:burst', payload);
        this.emitted += 1;
      }),
    ).catch(() => {
      // Redis away for a moment: this tick's animation is lost, the totals are not (they are in Redis).
    });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
