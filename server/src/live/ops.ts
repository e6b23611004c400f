/**
 * Live writes: one Lua script per kind of write, wrapped so that every write is atomic with its
 * operation-id dedupe and its version number.
 *
 * A feature writes the body of a Lua function that gets its own KEYS and ARGV (the wrapper's are
 * taken off) and returns a table:
 *   { ok = true, data = <ack data>, changes = { { kind=, id=, public=<value or cjson.null>, staff=<value or cjson.null> }, ... } }
 *   { ok = false, code = '<error code>', message = '<for people>' }
 * `public` is what the audience room sees of the entity, `staff` what moderators see (omit `staff`
 * when it is the same as `public`; set `public = cjson.null` to remove or hide it from the audience).
 *
 * The wrapper, in the same script: answers a reused op id with the first ack (or `conflict` when
 * the payload differs), increments the feature's version on success, and stores the ack for a day.
 */
import crypto from 'node:crypto';
import type { LiveChange, LiveFeature } from '@colloquy/shared';
import { AppError } from '../http/errors.ts';
import { PREFIX, type Redis } from '../store/redis.ts';
import { LuaScript } from './lua.ts';
import type { DeltaHub } from './deltas.ts';

const OP_TTL_SECONDS = 24 * 3600;

/** The Redis key holding a feature's version for an event (read it in snapshots, atomically with the state). */
export const versionKey = (eventId: string, feature: LiveFeature) => `${PREFIX}live:${eventId}:${feature}:v`;
const opKey = (eventId: string, userId: string, opId: string) => `${PREFIX}op:${eventId}:${userId}:${opId}`;
/** What an op id holds while its action (`once`) runs; long enough for any LiveKit call. */
const PENDING = 'pending';
const PENDING_TTL_SECONDS = 60;

/** The same request (event name and payload) always hashes the same. */
const payloadHash = (w: Pick<LiveWriteInput, 'name' | 'payload'>) =>
  crypto
    .createHash('sha256')
    .update(`${w.name}\n${canonicalJson(w.payload)}`)
    .digest('base64url');

export function liveScript(body: string): LuaScript {
  return new LuaScript(`
local opKey, verKey, hash, ttl = KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2])
local prior = false
if hash ~= '' then prior = redis.call('GET', opKey) end
if prior then
  local sep = string.find(prior, '|', 1, true)
  if string.sub(prior, 1, sep - 1) ~= hash then
    return cjson.encode({ ok = false, code = 'conflict', message = 'That operation id was already used for a different request' })
  end
  return 'R' .. string.sub(prior, sep + 1)
end
local K, A = {}, {}
for i = 3, #KEYS do K[#K + 1] = KEYS[i] end
for i = 3, #ARGV do A[#A + 1] = ARGV[i] end
local result = (function(KEYS, ARGV)
${body}
end)(K, A)
if not result.ok then return cjson.encode(result) end
local version = redis.call('INCR', verKey)
local ack = cjson.encode({ ok = true, version = version, data = result.data })
if hash ~= '' then redis.call('SET', opKey, hash .. '|' .. ack, 'EX', ttl) end
return cjson.encode({ ok = true, version = version, data = result.data, changes = result.changes or {} })
`);
}

/** A JSON rendering with sorted keys, so the same payload always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface RawChange {
  kind: string;
  id: string | number;
  public?: unknown;
  staff?: unknown;
}
type RawResult =
  | { ok: true; version: number; data: unknown; changes: RawChange[] | Record<string, never> }
  | { ok: false; code: string; message: string };

export interface LiveWriteInput {
  feature: LiveFeature;
  eventId: string;
  slug: string;
  /** Who is writing: op ids are scoped to them. */
  userId: string;
  opId: string;
  /** The socket event's name and parsed payload: a reused op id must carry the same ones. */
  name: string;
  payload: unknown;
  keys: string[];
  args: (string | number)[];
}

export interface LiveWriteResult<D> {
  data: D;
  version: number;
  /** True when this op id had already been applied: nothing changed this time. */
  replayed: boolean;
}

/** Lua's cjson turns an empty array into `{}`; put it back. */
const asArray = <T>(v: T[] | Record<string, never> | undefined): T[] => (Array.isArray(v) ? v : []);
/** cjson.null comes back as JSON null; a missing field means "same as public". */
const pick = (c: RawChange, room: 'public' | 'staff') =>
  room === 'staff' && !('staff' in c) ? (c.public ?? null) : (c[room] ?? null);

export class LiveWriter {
  private readonly redis: Redis;
  private readonly hub: DeltaHub;
  constructor(redis: Redis, hub: DeltaHub) {
    this.redis = redis;
    this.hub = hub;
  }

  /** A client's write: deduped by its op id. */
  run<D>(script: LuaScript, w: LiveWriteInput): Promise<LiveWriteResult<D>> {
    return this.exec<D>(script, w, opKey(w.eventId, w.userId, w.opId), payloadHash(w));
  }

  /**
   * A client's action outside Redis (a call to LiveKit) under the same op-id rule as `run`: a retried
   * op id gets the first answer without acting again, and a reused one with another payload gets
   * `conflict`. The id is claimed before acting, so two copies racing do not both act; a failed action
   * releases it, so the retry acts.
   */
  async once<D>(
    w: Pick<LiveWriteInput, 'eventId' | 'userId' | 'opId' | 'name' | 'payload'>,
    act: () => Promise<D>,
  ): Promise<{ data: D; replayed: boolean }> {
    const key = opKey(w.eventId, w.userId, w.opId);
    const hash = payloadHash(w);
    const claimed = await this.redis.set(key, `${hash}|${PENDING}`, {
      condition: 'NX',
      expiration: { type: 'EX', value: PENDING_TTL_SECONDS },
    });
    if (claimed !== 'OK') {
      const prior = (await this.redis.get(key)) ?? '';
      const sep = prior.indexOf('|');
      if (prior.slice(0, sep) !== hash) {
        throw new AppError('conflict', 'That operation id was already used for a different request');
      }
      const ack = prior.slice(sep + 1);
      if (ack === PENDING) throw new AppError('conflict', 'That operation is still running: try again in a moment');
      return { data: (JSON.parse(ack) as { data: D }).data, replayed: true };
    }
    let data: D;
    try {
      data = await act();
    } catch (err) {
      await this.redis.del(key);
      throw err;
    }
    const ack = JSON.stringify({ ok: true, data: data ?? null });
    await this.redis.set(key, `${hash}|${ack}`, { expiration: { type: 'EX', value: OP_TTL_SECONDS } });
    return { data, replayed: false };
  }

  /** A write the server makes itself (a webhook, a timer): versioned and broadcast, with no op id. */
  system<D>(
    script: LuaScript,
    w: Pick<LiveWriteInput, 'feature' | 'eventId' | 'slug' | 'keys' | 'args'>,
  ): Promise<LiveWriteResult<D>> {
    return this.exec<D>(script, w, `${PREFIX}op:none`, '');
  }

  private async exec<D>(
    script: LuaScript,
    w: Pick<LiveWriteInput, 'feature' | 'eventId' | 'slug' | 'keys' | 'args'>,
    op: string,
    hash: string,
  ): Promise<LiveWriteResult<D>> {
    const raw = (await script.run(
      this.redis,
      [op, versionKey(w.eventId, w.feature), ...w.keys],
      [hash, String(OP_TTL_SECONDS), ...w.args.map(String)],
    )) as string;
    const replayed = raw.startsWith('R');
    const result = JSON.parse(replayed ? raw.slice(1) : raw) as RawResult;
    if (!result.ok) throw new AppError(result.code as never, result.message);
    if (!replayed) {
      const changes = asArray(result.changes).map((c) => ({
        key: `${c.kind}:${c.id}`,
        public: { kind: c.kind, id: String(c.id), data: pick(c, 'public') } satisfies LiveChange,
        staff: { kind: c.kind, id: String(c.id), data: pick(c, 'staff') } satisfies LiveChange,
      }));
      this.hub.push(w.eventId, w.slug, w.feature, result.version, changes);
    }
    return { data: result.data as D, version: result.version, replayed };
  }
}
