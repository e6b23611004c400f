/**
 * The Q&A's Redis layout and its Lua scripts. Every write is a body for the live wrapper
 * (live/ops.ts), so it is atomic with its op-id dedupe and its version; the snapshot is one script
 * that reads the version with the state.
 *
 * Keys, under `cq:qa:{eventId}:` (passed to each script as ARGV[1]):
 *   seq                  counter giving question ids (1, 2, ...)
 *   index                sorted set of the questions still shown (pending, approved, answered), by id
 *   settings             hash: premoderation ('1' / '0'), pinned (question id or '')
 *   q:{id}               hash: id, text, authorId, authorName, anonymous, status, votes, createdAt,
 *                        edited, flagged, spans (JSON [{start, end}] of "answering now"), mergedInto
 *   q:{id}:voters        set of user ids; `votes` is always its SCARD
 *   asks:{userId}        sorted set of this person's recent asks (the per-person ask limit)
 * Dismissed and merged questions keep their hash (status `dismissed` / `merged`) for reports and the
 * archive, and leave the index.
 */
import { liveScript } from '../live/ops.ts';
import { LuaScript } from '../live/lua.ts';
import { PREFIX } from '../store/redis.ts';

export const qaPrefix = (eventId: string) => `${PREFIX}qa:${eventId}:`;

/** Helpers every script starts with. Projections: 'public', 'staff', or 'own' (the author's view). */
const PRELUDE = `
local P = ARGV[1]
local IDX, SETTINGS = P .. 'index', P .. 'settings'
local function qk(id) return P .. 'q:' .. id end
local function vk(id) return P .. 'q:' .. id .. ':voters' end
local function load(id)
  if not string.match(id, '^%d+$') then return nil end
  local r = redis.call('HGETALL', qk(id))
  if #r == 0 then return nil end
  local h = {}
  for i = 1, #r, 2 do h[r[i]] = r[i + 1] end
  return h
end
local function live(h) return h and (h.status == 'pending' or h.status == 'approved' or h.status == 'answered') end
local function view(h, mode)
  if not live(h) then return cjson.null end
  if mode == 'public' and h.status == 'pending' then return cjson.null end
  local anon = h.anonymous == '1'
  local v = {
    id = h.id, text = h.text, status = h.status, votes = tonumber(h.votes), createdAt = h.createdAt,
    edited = h.edited == '1', anonymous = anon,
  }
  if anon and mode == 'public' then v.author = cjson.null else v.author = { id = h.authorId, name = h.authorName } end
  if h.spans then v.answeringAt = cjson.decode(h.spans) end
  if mode == 'staff' then v.flagged = h.flagged == '1' end
  return v
end
local function change(h) return { kind = 'question', id = h.id, public = view(h, 'public'), staff = view(h, 'staff') } end
local function settings()
  local s = redis.call('HMGET', SETTINGS, 'premoderation', 'pinned')
  local pinned = cjson.null
  if s[2] and s[2] ~= '' then pinned = s[2] end
  return { premoderation = s[1] == '1', pinnedId = pinned }
end
local function settingsChange() return { kind = 'settings', id = 'main', public = settings() } end
local function refuse(code, message) return { ok = false, code = code, message = message } end
local function notFound() return refuse('not_found', 'No such question') end
-- Closes the open "answering now" span of question id (if any); returns its new hash or nil.
local function closeSpan(id, now)
  local h = load(id)
  if not h or not h.spans then return nil end
  local spans = cjson.decode(h.spans)
  local last = spans[#spans]
  if not last or last['end'] ~= cjson.null then return nil end
  last['end'] = now
  h.spans = cjson.encode(spans)
  redis.call('HSET', qk(id), 'spans', h.spans)
  return h
end
-- Unpins whatever is pinned (closing its span); appends the changes to the list.
local function unpin(now, changes)
  local cur = redis.call('HGET', SETTINGS, 'pinned')
  if not cur or cur == '' then return false end
  redis.call('HSET', SETTINGS, 'pinned', '')
  local h = closeSpan(cur, now)
  if h then changes[#changes + 1] = change(h) end
  return true
end
`;

const write = (body: string) => liveScript(PRELUDE + body);

/** ARGV: prefix, text, userId, userName, anonymous '1'/'0', nowIso, nowMs, flagged '1'/'0', limit, windowMs. */
export const ASK = write(`
local text, uid, name, anon, now, nowMs, flagged = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), ARGV[8]
local limit, window = tonumber(ARGV[9]), tonumber(ARGV[10])
local ak = P .. 'asks:' .. uid
redis.call('ZREMRANGEBYSCORE', ak, '-inf', nowMs - window)
if redis.call('ZCARD', ak) >= limit then
  local oldest = redis.call('ZRANGE', ak, 0, 0, 'WITHSCORES')
  local wait = math.max(1, math.ceil((tonumber(oldest[2]) + window - nowMs) / 1000))
  return refuse('rate_limited', 'You can ask ' .. limit .. ' questions a minute. Try again in ' .. wait .. ' s.')
end
local id = tostring(redis.call('INCR', P .. 'seq'))
redis.call('ZADD', ak, nowMs, id)
redis.call('PEXPIRE', ak, window)
local status = 'approved'
if flagged == '1' or redis.call('HGET', SETTINGS, 'premoderation') == '1' then status = 'pending' end
redis.call('HSET', qk(id), 'id', id, 'text', text, 'authorId', uid, 'authorName', name, 'anonymous', anon,
  'status', status, 'votes', 0, 'createdAt', now, 'edited', '0', 'flagged', flagged)
redis.call('ZADD', IDX, tonumber(id), id)
local h = load(id)
return { ok = true, data = view(h, 'own'), changes = { change(h) } }
`);

/** ARGV: prefix, questionId, userId, up '1'/'0'. */
export const VOTE = write(`
local id, uid, up = ARGV[2], ARGV[3], ARGV[4] == '1'
local h = load(id)
if not h or (h.status ~= 'approved' and h.status ~= 'answered') then return notFound() end
if up then
  if redis.call('SADD', vk(id), uid) == 0 then return refuse('conflict', 'You already upvoted this question') end
else
  if redis.call('SREM', vk(id), uid) == 0 then return refuse('conflict', 'You have not upvoted this question') end
end
local n = redis.call('SCARD', vk(id))
redis.call('HSET', qk(id), 'votes', n)
h.votes = tostring(n)
return { ok = true, data = { questionId = id, voted = up, votes = n }, changes = { change(h) } }
`);

/** ARGV: prefix, questionId. */
export const APPROVE = write(`
local id = ARGV[2]
local h = load(id)
if not live(h) then return notFound() end
if h.status ~= 'pending' then return refuse('conflict', 'That question is already approved') end
redis.call('HSET', qk(id), 'status', 'approved')
h.status = 'approved'
return { ok = true, data = view(h, 'staff'), changes = { change(h) } }
`);

/** ARGV: prefix, questionId, nowIso. */
export const DISMISS = write(`
local id, now = ARGV[2], ARGV[3]
local h = load(id)
if not live(h) then return notFound() end
local changes = {}
if redis.call('HGET', SETTINGS, 'pinned') == id then
  unpin(now, changes)
  changes[#changes + 1] = settingsChange()
end
redis.call('HSET', qk(id), 'status', 'dismissed')
redis.call('ZREM', IDX, id)
changes[#changes + 1] = { kind = 'question', id = id, public = cjson.null, staff = cjson.null }
return { ok = true, data = cjson.null, changes = changes }
`);

/** ARGV: prefix, questionId, text. */
export const EDIT = write(`
local id, text = ARGV[2], ARGV[3]
local h = load(id)
if not live(h) then return notFound() end
if h.text == text then return refuse('conflict', 'The text is unchanged') end
redis.call('HSET', qk(id), 'text', text, 'edited', '1')
h.text, h.edited = text, '1'
return { ok = true, data = view(h, 'staff'), changes = { change(h) } }
`);

/** ARGV: prefix, duplicateId, targetId, nowIso. */
export const MERGE = write(`
local dupId, intoId, now = ARGV[2], ARGV[3], ARGV[4]
if dupId == intoId then return refuse('conflict', 'A question cannot be merged into itself') end
local dup, into = load(dupId), load(intoId)
if not live(dup) or not live(into) then return notFound() end
local changes = {}
if redis.call('HGET', SETTINGS, 'pinned') == dupId then
  unpin(now, changes)
  changes[#changes + 1] = settingsChange()
end
redis.call('SUNIONSTORE', vk(intoId), vk(intoId), vk(dupId))
local n = redis.call('SCARD', vk(intoId))
redis.call('HSET', qk(intoId), 'votes', n)
into.votes = tostring(n)
redis.call('HSET', qk(dupId), 'status', 'merged', 'mergedInto', intoId)
redis.call('ZREM', IDX, dupId)
changes[#changes + 1] = { kind = 'question', id = dupId, public = cjson.null, staff = cjson.null }
changes[#changes + 1] = change(into)
return { ok = true, data = view(into, 'staff'), changes = changes }
`);

/** ARGV: prefix, questionId or '' (unpin), nowIso. */
export const PIN = write(`
local id, now = ARGV[2], ARGV[3]
local cur = redis.call('HGET', SETTINGS, 'pinned')
if not cur then cur = '' end
if id == '' and cur == '' then return refuse('conflict', 'No question is being answered') end
local h = nil
if id ~= '' then
  h = load(id)
  if not live(h) then return notFound() end
  if h.status == 'pending' then return refuse('conflict', 'Approve the question before answering it') end
  if cur == id then return refuse('conflict', 'That question is already being answered') end
end
local changes = {}
unpin(now, changes)
if h then
  local spans = {}
  if h.spans then spans = cjson.decode(h.spans) end
  spans[#spans + 1] = { start = now, ['end'] = cjson.null }
  h.spans = cjson.encode(spans)
  redis.call('HSET', qk(id), 'spans', h.spans)
  redis.call('HSET', SETTINGS, 'pinned', id)
  changes[#changes + 1] = change(h)
end
changes[#changes + 1] = settingsChange()
return { ok = true, data = settings(), changes = changes }
`);

/** ARGV: prefix, questionId, nowIso. */
export const ANSWERED = write(`
local id, now = ARGV[2], ARGV[3]
local h = load(id)
if not live(h) then return notFound() end
if h.status == 'pending' then return refuse('conflict', 'Approve the question first') end
if h.status == 'answered' then return refuse('conflict', 'That question is already answered') end
local changes = {}
if redis.call('HGET', SETTINGS, 'pinned') == id then
  unpin(now, changes)
  changes[#changes + 1] = settingsChange()
end
redis.call('HSET', qk(id), 'status', 'answered')
h = load(id)
changes[#changes + 1] = change(h)
return { ok = true, data = view(h, 'staff'), changes = changes }
`);

/** ARGV: prefix, premoderation '1'/'0'. */
export const SETTINGS = write(`
redis.call('HSET', SETTINGS, 'premoderation', ARGV[2])
return { ok = true, data = settings(), changes = { settingsChange() } }
`);

/**
 * The viewer's state and the feature's version, read together. KEYS: version key. ARGV: prefix,
 * staff '1'/'0', viewer's user id or ''.
 */
export const SNAPSHOT = new LuaScript(
  PRELUDE +
    `
local staff, uid = ARGV[2] == '1', ARGV[3]
local version = tonumber(redis.call('GET', KEYS[1]) or '0')
local questions, myVotes, mine = {}, {}, {}
for _, id in ipairs(redis.call('ZRANGE', IDX, 0, -1)) do
  local h = load(id)
  if h then
    local own = uid ~= '' and h.authorId == uid
    local mode = 'public'
    if staff then mode = 'staff' elseif own then mode = 'own' end
    local v = view(h, mode)
    if v ~= cjson.null then
      questions[id] = v
      if own then mine[#mine + 1] = id end
      if uid ~= '' and redis.call('SISMEMBER', vk(id), uid) == 1 then myVotes[#myVotes + 1] = id end
    end
  end
end
return cjson.encode({ version = version, settings = settings(), questions = questions, myVotes = myVotes, mine = mine })
`,
);

/** One question's stored fields (any status), for reports and the archive. ARGV: prefix, questionId. */
export const DESCRIBE = new LuaScript(
  PRELUDE +
    `
local h = load(ARGV[2])
if not h then return false end
return cjson.encode(h)
`,
);
