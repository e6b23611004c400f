/**
 * Coalesces live changes into versioned deltas and broadcasts them on a short tick, so an upvote
 * storm becomes a few packets per second per room instead of one per vote. Each flush emits, per
 * event and feature, one delta per contiguous run of versions (a run is broken only when another
 * node wrote the missing version), with only the latest value of each entity in it. Audience
 * sockets get the public projection; moderators and organizers (the staff room) the staff one.
 * Each broadcast is serialized once by Socket.IO, whatever the number of sockets.
 */
import type { LiveChange, LiveDelta, LiveFeature } from '@colloquy/shared';
import { eventRoom, staffRoom } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';

export interface HubChange {
  /** Entity identity within the feature (`kind:id`): later changes to the same key replace earlier ones. */
  key: string;
  public: LiveChange;
  staff: LiveChange;
}

interface Pending {
  slug: string;
  writes: { version: number; changes: HubChange[] }[];
}

export const DEFAULT_TICK_MS = 100;

export class DeltaHub {
  io: IoServer | null = null;
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private readonly tickMs: number;
  /** Deltas emitted since start (for benchmarks and tests). */
  emitted = 0;

  constructor(tickMs = DEFAULT_TICK_MS) {
    this.tickMs = tickMs;
  }

  push(eventId: string, slug: string, feature: LiveFeature, version: number, changes: HubChange[]): void {
    const key = `${eventId}\n${feature}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { slug, writes: [] }));
    p.writes.push({ version, changes });
    this.timer ??= setTimeout(() => this.flush(), this.tickMs);
  }

  /** Emits everything pending now (also called by the tick). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [key, p] of batches) {
      const [eventId, feature] = key.split('\n') as [string, LiveFeature];
      for (const run of contiguousRuns(p.writes)) this.emit(eventId, p.slug, feature, run);
    }
  }

  private emit(eventId: string, slug: string, feature: LiveFeature, run: Pending['writes']): void {
    if (!this.io) return;
    const pub = new Map<string, LiveChange>();
    const staff = new Map<string, LiveChange>();
    for (const w of run) {
      for (const c of w.changes) {
        pub.delete(c.key); // re-insert so entities keep the order of their last change
        pub.set(c.key, c.public);
        staff.delete(c.key);
        staff.set(c.key, c.staff);
      }
    }
    const base = { slug, feature, from: run[0]!.version, to: run.at(-1)!.version };
    const publicDelta: LiveDelta = { ...base, changes: [...pub.values()] };
    const staffDelta: LiveDelta = { ...base, changes: [...staff.values()] };
    this.io.to(eventRoom(eventId)).except(staffRoom(eventId)).emit('live:delta', publicDelta);
    this.io.to(staffRoom(eventId)).emit('live:delta', staffDelta);
    this.emitted += 2;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}

function contiguousRuns(writes: Pending['writes']): Pending['writes'][] {
  const sorted = [...writes].sort((a, b) => a.version - b.version);
  const runs: Pending['writes'][] = [];
  for (const w of sorted) {
    const last = runs.at(-1);
    if (last && w.version === last.at(-1)!.version + 1) last.push(w);
    else runs.push([w]);
  }
  return runs;
}
