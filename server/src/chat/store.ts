/**
 * Chat in Redis, per event (all writes are live writes: see live/ops.ts for the Lua contract):
 *   chat:{eventId}:msgs        stream, field `m` = stored message JSON; capped at the newest LIMITS_CHAT.keptMessages
 *   chat:{eventId}:settings    hash: enabled ('1' / '0', missing = on), slow (seconds, missing = 0)
 *   chat:{eventId}:restricted  hash: user id → ChatRestriction JSON (muted or banned)
 *   chat:{eventId}:names       hash: user id → display name of everyone who has written here
 *   chat:{eventId}:slow:{user} key with a TTL: slow mode's "wait" for one person
 *   chat:{eventId}:reactions   hash: emoji → count (HINCRBY, exact)
 */
import {
  LIMITS_CHAT,
  REACTIONS,
  type ChatMessage,
  type ChatReport,
  type ChatRestriction,
  type ChatState,
  type ReactionCounts,
} from '@colloquy/shared';
import type { Redis } from '../store/redis.ts';
import { PREFIX } from '../store/redis.ts';
import { LuaScript } from '../live/lua.ts';
import { liveScript, versionKey } from '../live/ops.ts';
import { reportFromJson, reportKeys } from '../moderation/reports.ts';

export const chatKeys = (eventId: string) => ({
  msgs: `${PREFIX}chat:${eventId}:msgs`,
  settings: `${PREFIX}chat:${eventId}:settings`,
  restricted: `${PREFIX}chat:${eventId}:restricted`,
  names: `${PREFIX}chat:${eventId}:names`,
  reactions: `${PREFIX}chat:${eventId}:reactions`,
  slow: (userId: string) => `${PREFIX}chat:${eventId}:slow:${userId}`,
});

/** What the stream holds for each message (the id is the stream entry's). */
export type StoredMessage = Omit<ChatMessage, 'id'> & { authorId: string };

/** The message as a viewer sees it: the author's id for staff only. */
export function messageFor(id: string, m: StoredMessage, staff: boolean): ChatMessage {
  const base = { id, text: m.text, authorName: m.authorName, authorRole: m.authorRole, at: m.at };
  return staff ? { ...base, authorId: m.authorId } : base;
}

/**
 * KEYS: msgs, settings, restricted, names, slow key.
 * ARGV: stored JSON, user id, display name, staff '1'/'0', blocked '1'/'0', kept messages.
 * Refusals in order: restricted, chat off, word filter, slow mode (which is only spent on success).
 */
export const SEND = liveScript(`
local r = redis.call('HGET', KEYS[3], ARGV[2])
if r then
  if cjson.decode(r).state == 'banned' then
    return { ok = false, code = 'forbidden', message = 'A moderator has removed you from this chat' }
  end
  return { ok = false, code = 'forbidden', message = 'A moderator has muted you: you can read the chat but not post' }
end
local s = redis.call('HMGET', KEYS[2], 'enabled', 'slow')
local staff = ARGV[4] == '1'
if s[1] == '0' and not staff then
  return { ok = false, code = 'conflict', message = 'Chat is switched off' }
end
if ARGV[5] == '1' then
  return { ok = false, code = 'content_blocked', message = 'Your message was blocked: it contains a word this site does not allow' }
end
local slow = tonumber(s[2] or '0') or 0
if slow > 0 and not staff then
  if not redis.call('SET', KEYS[5], '1', 'PX', slow * 1000, 'NX') then
    return { ok = false, code = 'rate_limited', message = 'Slow mode' }
  end
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[6], '*', 'm', ARGV[1])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
local m = cjson.decode(ARGV[1])
local pub = { id = id, text = m.text, authorName = m.authorName, authorRole = m.authorRole, at = m.at }
local st = { id = id, text = m.text, authorName = m.authorName, authorRole = m.authorRole, at = m.at, authorId = m.authorId }
return { ok = true, data = pub, changes = { { kind = 'message', id = id, public = pub, staff = st } } }
`);

/** KEYS: msgs. ARGV: message id. */
export const DELETE = liveScript(`
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
  return { ok = false, code = 'not_found', message = 'No such message (it may have been deleted already)' }
end
return { ok = true, data = cjson.null, changes = { { kind = 'message', id = ARGV[1], public = cjson.null } } }
`);

/** KEYS: restricted, names, msgs. ARGV: user id, 'none' | 'muted' | 'banned', now. A ban also deletes their messages. */
export const RESTRICT = liveScript(`
local name = redis.call('HGET', KEYS[2], ARGV[1])
if not name then return { ok = false, code = 'not_found', message = 'This person has not written in this chat' } end
if ARGV[2] == 'none' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return { ok = true, data = cjson.null,
           changes = { { kind = 'restriction', id = ARGV[1], public = cjson.null, staff = cjson.null } } }
end
local r = { userId = ARGV[1], name = name, state = ARGV[2], at = ARGV[3] }
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(r))
local changes = { { kind = 'restriction', id = ARGV[1], public = cjson.null, staff = r } }
if ARGV[2] == 'banned' then
  for _, e in ipairs(redis.call('XRANGE', KEYS[3], '-', '+')) do
    if cjson.decode(e[2][2]).authorId == ARGV[1] then
      redis.call('XDEL', KEYS[3], e[1])
      changes[#changes + 1] = { kind = 'message', id = e[1], public = cjson.null }
    end
  end
end
return { ok = true, data = r, changes = changes }
`);

/** KEYS: settings. ARGV: enabled ('' = unchanged, '0', '1'), slow seconds ('' = unchanged). */
export const SETTINGS = liveScript(`
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'enabled', ARGV[1]) end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'slow', ARGV[2]) end
local s = redis.call('HMGET', KEYS[1], 'enabled', 'slow')
local v = { enabled = s[1] ~= '0', slowModeSeconds = tonumber(s[2] or '0') or 0 }
return { ok = true, data = v, changes = { { kind = 'settings', id = 'main', public = v } } }
`);

/**
 * Everything a snapshot needs, with the feature's version, in one script.
 * KEYS: version, msgs, settings, restricted, reactions, reports. ARGV: count, viewer id ('' = none), staff '1'/'0'.
 */
const SNAPSHOT = new LuaScript(`
local out = { version = tonumber(redis.call('GET', KEYS[1]) or '0') }
local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[1])
local msgs = {}
for i = #entries, 1, -1 do msgs[#msgs + 1] = { entries[i][1], entries[i][2][2] } end
out.messages = msgs
local s = redis.call('HMGET', KEYS[3], 'enabled', 'slow')
out.enabled = s[1] ~= '0'
out.slow = tonumber(s[2] or '0') or 0
if ARGV[2] ~= '' then out.me = redis.call('HGET', KEYS[4], ARGV[2]) end
out.reactions = redis.call('HGETALL', KEYS[5])
if ARGV[3] == '1' then
  out.restricted = redis.call('HGETALL', KEYS[4])
  out.reports = redis.call('HGETALL', KEYS[6])
end
return cjson.encode(out)
`);

interface RawSnapshot {
  version: number;
  messages: [string, string][] | Record<string, never>;
  enabled: boolean;
  slow: number;
  me?: string | false;
  reactions: string[] | Record<string, never>;
  restricted?: string[] | Record<string, never>;
  reports?: string[] | Record<string, never>;
}

const list = <T>(v: T[] | Record<string, never> | undefined): T[] => (Array.isArray(v) ? v : []);

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

export function reactionCounts(flat: string[] | Record<string, string>): ReactionCounts {
  const entries = Array.isArray(flat) ? pairs(flat) : Object.entries(flat);
  const counts: ReactionCounts = {};
  for (const [emoji, n] of entries) {
    if ((REACTIONS as readonly string[]).includes(emoji)) counts[emoji as keyof ReactionCounts] = Number(n);
  }
  return counts;
}

export async function readSnapshot(
  redis: Redis,
  event: { id: string },
  viewer: { userId: string | null; staff: boolean },
): Promise<{ version: number; state: ChatState }> {
  const k = chatKeys(event.id);
  const raw = JSON.parse(
    (await SNAPSHOT.run(
      redis,
      [versionKey(event.id, 'chat'), k.msgs, k.settings, k.restricted, k.reactions, reportKeys(event.id).reports],
      [String(LIMITS_CHAT.snapshotMessages), viewer.userId ?? '', viewer.staff ? '1' : '0'],
    )) as string,
  ) as RawSnapshot;
  const mine = typeof raw.me === 'string' ? (JSON.parse(raw.me) as ChatRestriction) : null;
  const me = { muted: mine?.state === 'muted', banned: mine?.state === 'banned' };
  const restrictions: Record<string, ChatRestriction> = {};
  for (const [id, json] of pairs(list(raw.restricted))) restrictions[id] = JSON.parse(json) as ChatRestriction;
  const reports: Record<string, ChatReport> = {};
  for (const [id, json] of pairs(list(raw.reports))) reports[id] = reportFromJson(json);
  return {
    version: raw.version,
    state: {
      // Someone banned from the chat no longer reads it.
      messages: me.banned
        ? []
        : list(raw.messages).map(([id, json]) => messageFor(id, JSON.parse(json) as StoredMessage, viewer.staff)),
      settings: { enabled: raw.enabled, slowModeSeconds: raw.slow },
      me,
      reactions: reactionCounts(list(raw.reactions)),
      restrictions,
      reports,
    },
  };
}

/** One stored message, or null (a malformed id is simply not found). */
export async function readMessage(redis: Redis, eventId: string, id: string): Promise<StoredMessage | null> {
  const entries = await redis.xRange(chatKeys(eventId).msgs, id, id);
  const m = entries?.[0]?.message.m;
  return m ? (JSON.parse(m) as StoredMessage) : null;
}
