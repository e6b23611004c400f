/**
 * Redis storage for one kind of catalogue record (event, series, speaker): a JSON string per
 * record, a slug → id key, and a sorted index. Writes are Lua scripts, so a slug is never taken
 * twice and a record never exists without its index entries.
 */
import { uuidv7 } from 'uuidv7';
import type { Origin } from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';

export type Stored<T> = T & { id: string; origin: Origin; createdAt: string; updatedAt: string };

// KEYS: record, new slug key, index, demo set, old slug key (or same)
// ARGV: id, json, score, origin tag ("demo"/"organizer"), demo member
const PUT = `
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[1] then return 0 end
if KEYS[5] ~= KEYS[2] then
  if redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end
end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
if ARGV[4] == 'demo' then redis.call('SADD', KEYS[4], ARGV[5]) end
return 1`;

// KEYS: record, slug key, index, demo set; ARGV: id, demo member
const REMOVE = `
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[2])
return 1`;

/** A stored record without what storage added: the input it was written from. */
export function inputOf<T>(record: Stored<T>): T {
  const { id: _id, origin: _origin, createdAt: _c, updatedAt: _u, ...input } = record;
  return input as unknown as T;
}

export const DEMO_SET = `${PREFIX}demo-records`;

export class SlugTakenError extends Error {
  readonly slug: string;
  constructor(slug: string) {
    super(`The slug "${slug}" is already used`);
    this.slug = slug;
  }
}

export class Collection<T extends { slug: string }> {
  readonly kind: string;
  private readonly redis: Redis;
  private readonly score: (record: T) => number;

  constructor(redis: Redis, kind: string, score: (record: T) => number) {
    this.redis = redis;
    this.kind = kind;
    this.score = score;
  }

  private key(id: string) {
    return `${PREFIX}${this.kind}:${id}`;
  }
  private slugKey(slug: string) {
    return `${PREFIX}${this.kind}-by-slug:${slug}`;
  }
  private get indexKey() {
    return `${PREFIX}${this.kind}-index`;
  }
  demoMember(id: string) {
    return `${this.kind}:${id}`;
  }

  /** Creates or replaces a record; throws SlugTakenError when another record holds the slug. */
  async put(data: T, origin: Origin, existing?: Stored<T>): Promise<Stored<T>> {
    const now = new Date().toISOString();
    const record = {
      ...data,
      id: existing?.id ?? uuidv7(),
      origin: existing?.origin ?? origin,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    } as Stored<T>;
    const oldSlugKey = existing ? this.slugKey(existing.slug) : this.slugKey(data.slug);
    const ok = await this.redis.eval(PUT, {
      keys: [this.key(record.id), this.slugKey(data.slug), this.indexKey, DEMO_SET, oldSlugKey],
      arguments: [
        record.id,
        JSON.stringify(record),
        String(this.score(data)),
        record.origin,
        this.demoMember(record.id),
      ],
    });
    if (ok !== 1) throw new SlugTakenError(data.slug);
    return record;
  }

  async remove(record: Stored<T>): Promise<void> {
    await this.redis.eval(REMOVE, {
      keys: [this.key(record.id), this.slugKey(record.slug), this.indexKey, DEMO_SET],
      arguments: [record.id, this.demoMember(record.id)],
    });
  }

  async get(id: string): Promise<Stored<T> | null> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Stored<T>) : null;
  }

  async getBySlug(slug: string): Promise<Stored<T> | null> {
    const id = await this.redis.get(this.slugKey(slug));
    return id ? this.get(id) : null;
  }

  async getMany(ids: readonly string[]): Promise<Stored<T>[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mGet(ids.map((id) => this.key(id)));
    return raws.filter((r): r is string => typeof r === 'string').map((r) => JSON.parse(r) as Stored<T>);
  }

  /** How many records there are (the index's size; no record is read). */
  count(): Promise<number> {
    return this.redis.zCard(this.indexKey);
  }

  /** Every record, in index order. */
  async all(): Promise<Stored<T>[]> {
    return this.getMany(await this.redis.zRange(this.indexKey, 0, -1));
  }
}
