/**
 * An event's transcript in Redis: one hash per event, `cq:transcript:{eventId}`, holding its
 * `version`, `source`, `language`, `updatedAt`, `count`, and one field per cue (`c1`, `c2`, … in
 * time order, each the cue's JSON), so correcting a cue rewrites one small field. Edits and
 * replacements are kept newest first in `cq:transcript-edits:{eventId}` (capped). Every write is
 * one Lua script: the version moves with the change, and the history entry is written with it.
 */
import {
  TRANSCRIPT_LIMITS,
  type Cue,
  type CueInput,
  type Transcript,
  type TranscriptEdit,
  type TranscriptSource,
} from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';

const key = (eventId: string) => `${PREFIX}transcript:${eventId}`;
const editsKey = (eventId: string) => `${PREFIX}transcript-edits:${eventId}`;

// KEYS: transcript, edits. ARGV: source, language, updatedAt, edit JSON (version added here),
// history cap, then one JSON per cue (already carrying its id c1..cN).
const REPLACE = `
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') + 1
redis.call('DEL', KEYS[1])
local n = #ARGV - 5
redis.call('HSET', KEYS[1], 'version', v, 'source', ARGV[1], 'language', ARGV[2], 'updatedAt', ARGV[3], 'count', n)
for i = 6, #ARGV do redis.call('HSET', KEYS[1], 'c' .. (i - 5), ARGV[i]) end
local edit = cjson.decode(ARGV[4])
edit.version = v
redis.call('LPUSH', KEYS[2], cjson.encode(edit))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
return v`;

// KEYS: transcript, edits. ARGV: cue id, new text, expected version ('' for any), at, by JSON, cap.
// Returns JSON: {ok, version, code}.
const EDIT_CUE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return cjson.encode({ok=false, code='not_found', message='This event has no transcript'}) end
local v = tonumber(redis.call('HGET', KEYS[1], 'version'))
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= v then
  return cjson.encode({ok=false, code='conflict', message='The transcript changed since you loaded it', version=v})
end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return cjson.encode({ok=false, code='not_found', message='No cue with that id'}) end
local cue = cjson.decode(raw)
local before = cue.text
if before == ARGV[2] then return cjson.encode({ok=true, version=v, changed=false}) end
cue.text = ARGV[2]
if type(cue.words) == 'table' and next(cue.words) == nil then cue.words = nil end
v = v + 1
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(cue), 'version', v, 'updatedAt', ARGV[4])
redis.call('LPUSH', KEYS[2], cjson.encode({kind='cue', version=v, at=ARGV[4], by=cjson.decode(ARGV[5]), cueId=ARGV[1], before=before, after=ARGV[2]}))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
return cjson.encode({ok=true, version=v, changed=true})`;

// KEYS: transcript. ARGV: source, language, updatedAt, then cue JSONs without ids.
// Appends after the last cue (live captions); refuses a cue that starts before the last one.
const APPEND = `
local n = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') + 1
local lastStart = -1
if n > 0 then lastStart = cjson.decode(redis.call('HGET', KEYS[1], 'c' .. n)).start end
for i = 4, #ARGV do
  local cue = cjson.decode(ARGV[i])
  if cue.start < lastStart then return cjson.encode({ok=false, code='conflict', message='cues out of order'}) end
  lastStart = cue.start
end
if n == 0 then redis.call('HSET', KEYS[1], 'source', ARGV[1], 'language', ARGV[2]) end
for i = 4, #ARGV do
  n = n + 1
  local cue = cjson.decode(ARGV[i])
  cue.id = 'c' .. n
  if type(cue.words) == 'table' and next(cue.words) == nil then cue.words = nil end
  redis.call('HSET', KEYS[1], 'c' .. n, cjson.encode(cue))
end
redis.call('HSET', KEYS[1], 'count', n, 'version', v, 'updatedAt', ARGV[3])
return cjson.encode({ok=true, version=v, count=n})`;

export interface Editor {
  userId: string | null;
  name: string;
}

export type EditResult =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; code: 'not_found' | 'conflict'; message: string; version?: number };

const round = (n: number) => Math.round(n * 1000) / 1000;

/** A cue as stored: times rounded to milliseconds, empty word lists left out. */
function storedCue(c: CueInput, id?: string): Cue | CueInput {
  return {
    ...(id ? { id } : {}),
    start: round(c.start),
    end: round(c.end),
    text: c.text,
    ...(c.speaker ? { speaker: c.speaker } : {}),
    ...(c.words && c.words.length > 0 ? { words: c.words } : {}),
  } as Cue;
}

export class TranscriptStore {
  private readonly redis: Redis;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  async get(eventId: string): Promise<Transcript | null> {
    const h = await this.redis.hGetAll(key(eventId));
    if (!h.version) return null;
    const cues: Cue[] = [];
    const count = Number(h.count ?? 0);
    for (let i = 1; i <= count; i++) {
      const raw = h[`c${i}`];
      if (raw) cues.push(JSON.parse(raw) as Cue);
    }
    return {
      eventId,
      version: Number(h.version),
      source: (h.source ?? 'other') as TranscriptSource,
      language: h.language ?? 'en',
      updatedAt: h.updatedAt ?? new Date(0).toISOString(),
      cues,
    };
  }

  /** The version alone (0 when there is no transcript). */
  async version(eventId: string): Promise<number> {
    return Number((await this.redis.hGet(key(eventId), 'version')) ?? 0);
  }

  /** Replaces the whole transcript (an engine's result or an upload); returns the new version. */
  async replace(
    eventId: string,
    cues: readonly CueInput[],
    meta: { source: TranscriptSource; language?: string; by: Editor; now?: Date },
  ): Promise<number> {
    if (cues.length > TRANSCRIPT_LIMITS.maxCues) throw new Error(`more than ${TRANSCRIPT_LIMITS.maxCues} cues`);
    const at = (meta.now ?? new Date()).toISOString();
    const edit = { kind: 'replace', at, by: meta.by, source: meta.source, cueCount: cues.length };
    const v = await this.redis.eval(REPLACE, {
      keys: [key(eventId), editsKey(eventId)],
      arguments: [
        meta.source,
        meta.language ?? 'en',
        at,
        JSON.stringify(edit),
        String(TRANSCRIPT_LIMITS.historyMax),
        ...cues.map((c, i) => JSON.stringify(storedCue(c, `c${i + 1}`))),
      ],
    });
    return Number(v);
  }

  /** Appends cues after the last one (live captions); refuses cues that go back in time. */
  async append(
    eventId: string,
    cues: readonly CueInput[],
    meta: { source: TranscriptSource; language?: string; now?: Date },
  ): Promise<EditResult> {
    if (cues.length === 0) return { ok: true, version: await this.version(eventId), changed: false };
    const raw = await this.redis.eval(APPEND, {
      keys: [key(eventId)],
      arguments: [
        meta.source,
        meta.language ?? 'en',
        (meta.now ?? new Date()).toISOString(),
        ...cues.map((c) => JSON.stringify(storedCue(c))),
      ],
    });
    const r = JSON.parse(String(raw)) as { ok: boolean; version?: number; code?: 'conflict'; message?: string };
    return r.ok
      ? { ok: true, version: r.version!, changed: true }
      : { ok: false, code: r.code ?? 'conflict', message: r.message ?? 'refused' };
  }

  /** Sets one cue's text, keeping who and when; `expectedVersion` guards against a stale page. */
  async editCue(
    eventId: string,
    cueId: string,
    text: string,
    by: Editor,
    opts: { expectedVersion?: number; now?: Date } = {},
  ): Promise<EditResult> {
    const raw = await this.redis.eval(EDIT_CUE, {
      keys: [key(eventId), editsKey(eventId)],
      arguments: [
        cueId,
        text,
        opts.expectedVersion === undefined ? '' : String(opts.expectedVersion),
        (opts.now ?? new Date()).toISOString(),
        JSON.stringify(by),
        String(TRANSCRIPT_LIMITS.historyMax),
      ],
    });
    return JSON.parse(String(raw)) as EditResult;
  }

  /** Changes newest first. */
  async edits(eventId: string, limit = 200): Promise<TranscriptEdit[]> {
    const raw = await this.redis.lRange(editsKey(eventId), 0, Math.max(0, limit - 1));
    return raw.map((r) => {
      const e = JSON.parse(r) as TranscriptEdit;
      // Lua's cjson writes a missing user id as null, which JSON.parse keeps: the type allows it.
      return e;
    });
  }

  /** Removes an event's transcript and its history (the event was deleted). */
  async remove(eventId: string): Promise<void> {
    await this.redis.del([key(eventId), editsKey(eventId)]);
  }

  /** Event ids that have a transcript (for the search index's rebuild). */
  async eventIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const keys of this.redis.scanIterator({ MATCH: `${PREFIX}transcript:*`, COUNT: 500 })) {
      for (const k of keys as unknown as string[]) ids.push(k.slice(`${PREFIX}transcript:`.length));
    }
    return ids;
  }
}
