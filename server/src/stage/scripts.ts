/**
 * The stage's writes, each a live-write Lua body (ops.ts): atomic with its op-id dedupe and the
 * feature's version, returning the changes the delta hub broadcasts. Keys as in store.ts.
 */
import { liveScript } from '../live/ops.ts';

// Reads the lifecycle (or its default from ARGV) into `lc`. Expects KEYS[1] = lifecycle.
const READ_LIFECYCLE = (defaultArg: string) => `
local lcRaw = redis.call('GET', KEYS[1])
local lc
if lcRaw then lc = cjson.decode(lcRaw) else
  lc = { phase = ${defaultArg}, greenroomAt = cjson.null, liveAt = cjson.null, endedAt = cjson.null }
end`;

/**
 * stage:phase. KEYS: lifecycle, sessions, hands, spotlight. ARGV: target, now, default phase.
 * Allowed: scheduled → greenroom; scheduled | greenroom → live; live → ended. Anything else is a
 * conflict and changes nothing. Ending clears raised hands and the spotlight.
 * data: { lifecycle = <StageLifecycle>, cleared = <user ids whose hand was cleared> }.
 */
export const PHASE = liveScript(`
${READ_LIFECYCLE('ARGV[3]')}
local from, to, now = lc.phase, ARGV[1], ARGV[2]
if to == 'greenroom' and from ~= 'scheduled' then
  return { ok = false, code = 'conflict', message = 'The green room opens only before the event goes live (it is ' .. from .. ')' }
elseif to == 'live' and from ~= 'scheduled' and from ~= 'greenroom' then
  return { ok = false, code = 'conflict', message = 'The event cannot go live: it is ' .. from }
elseif to == 'ended' and from ~= 'live' then
  return { ok = false, code = 'conflict', message = 'Only a live event can be ended (it is ' .. from .. ')' }
end
lc.phase = to
local changes, cleared = {}, {}
if to == 'greenroom' then lc.greenroomAt = now
elseif to == 'live' then
  lc.liveAt = now
  redis.call('RPUSH', KEYS[2], cjson.encode({ startedAt = now, endedAt = cjson.null }))
else
  lc.endedAt = now
  local last = redis.call('LINDEX', KEYS[2], -1)
  if last then
    local s = cjson.decode(last)
    if s.endedAt == cjson.null then
      s.endedAt = now
      redis.call('LSET', KEYS[2], -1, cjson.encode(s))
    end
  end
  for _, uid in ipairs(redis.call('HKEYS', KEYS[3])) do
    cleared[#cleared + 1] = uid
    changes[#changes + 1] = { kind = 'hand', id = uid, public = cjson.null, staff = cjson.null }
  end
  redis.call('DEL', KEYS[3])
  if redis.call('DEL', KEYS[4]) == 1 then
    changes[#changes + 1] = { kind = 'spotlight', id = 'main', public = { identity = cjson.null } }
  end
end
redis.call('SET', KEYS[1], cjson.encode(lc))
changes[#changes + 1] = { kind = 'lifecycle', id = 'main', public = lc }
return { ok = true, data = { lifecycle = lc, cleared = cleared }, changes = changes }
`);

/**
 * stage:hand. KEYS: lifecycle, hands. ARGV: user id, '1' raise / '0' lower, note, display name,
 * now, default phase. data: { hand = <hand or null>, was = <previous state or ''> }.
 */
export const HAND = liveScript(`
${READ_LIFECYCLE('ARGV[6]')}
local uid = ARGV[1]
local raw = redis.call('HGET', KEYS[2], uid)
local hand = raw and cjson.decode(raw) or nil
local was = hand and hand.state or ''
if ARGV[2] == '1' then
  if lc.phase ~= 'live' then
    return { ok = false, code = 'conflict', message = 'Hands can be raised while the event is live' }
  end
  if hand and hand.state ~= 'raised' then
    return { ok = false, code = 'conflict', message = 'You are already invited on stage' }
  end
  local h = { userId = uid, displayName = ARGV[4], note = ARGV[3], state = 'raised', raisedAt = hand and hand.raisedAt or ARGV[5] }
  redis.call('HSET', KEYS[2], uid, cjson.encode(h))
  return { ok = true, data = { hand = h, was = was }, changes = { { kind = 'hand', id = uid, public = cjson.null, staff = h } } }
end
if not hand then return { ok = true, data = { hand = cjson.null, was = '' } } end
redis.call('HDEL', KEYS[2], uid)
return { ok = true, data = { hand = cjson.null, was = was }, changes = { { kind = 'hand', id = uid, public = cjson.null, staff = cjson.null } } }
`);

/** stage:invite. KEYS: hands. ARGV: user id. A raised hand becomes `invited`. */
export const INVITE = liveScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { ok = false, code = 'not_found', message = 'That person has no raised hand' } end
local hand = cjson.decode(raw)
if hand.state ~= 'raised' then
  return { ok = false, code = 'conflict', message = 'That person is already invited on stage' }
end
hand.state = 'invited'
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(hand))
return { ok = true, data = hand, changes = { { kind = 'hand', id = ARGV[1], public = cjson.null, staff = hand } } }
`);

/**
 * A system write once publish was granted in LiveKit: `invited` becomes `onstage`. KEYS: hands.
 * ARGV: user id. data: the hand now (or null); no change when it is not `invited`.
 */
export const PROMOTE = liveScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { ok = true, data = cjson.null } end
local hand = cjson.decode(raw)
if hand.state ~= 'invited' then return { ok = true, data = hand } end
hand.state = 'onstage'
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(hand))
return { ok = true, data = hand, changes = { { kind = 'hand', id = ARGV[1], public = cjson.null, staff = hand } } }
`);

/** stage:send-back. KEYS: hands. ARGV: user id. data: { was = <previous state> }. */
export const SEND_BACK = liveScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { ok = false, code = 'not_found', message = 'That person is not on stage and has no raised hand' } end
redis.call('HDEL', KEYS[1], ARGV[1])
return { ok = true, data = { was = cjson.decode(raw).state }, changes = { { kind = 'hand', id = ARGV[1], public = cjson.null, staff = cjson.null } } }
`);

/** stage:spotlight. KEYS: spotlight. ARGV: identity ('' for nobody). */
export const SPOTLIGHT = liveScript(`
local identity = cjson.null
if ARGV[1] == '' then redis.call('DEL', KEYS[1]) else
  redis.call('SET', KEYS[1], ARGV[1])
  identity = ARGV[1]
end
local s = { identity = identity }
return { ok = true, data = s, changes = { { kind = 'spotlight', id = 'main', public = s } } }
`);

const AUDIENCE_CHANGE = `
local nowCount = redis.call('HLEN', KEYS[2])
local peak = tonumber(redis.call('HGET', KEYS[4], 'peak') or '0')
if nowCount > peak then peak = nowCount end
redis.call('HSET', KEYS[4], 'now', nowCount, 'peak', peak)
changes[#changes + 1] = { kind = 'audience', id = 'main', public = { now = nowCount, peak = peak } }`;

/**
 * participant_joined. KEYS: lifecycle, present, gone, audience, attendance, sessions.
 * ARGV: sid, identity, display name, role, joined at, '1' when they count as audience, default phase.
 * Idempotent by sid: a replay or a late copy after participant_left changes nothing.
 */
export const JOINED = liveScript(`
${READ_LIFECYCLE('ARGV[7]')}
local sid, identity, at = ARGV[1], ARGV[2], ARGV[5]
local changes = {}
if redis.call('SISMEMBER', KEYS[3], sid) == 1 then return { ok = true, data = cjson.null } end
local raw = redis.call('HGET', KEYS[5], identity)
local rec = raw and cjson.decode(raw) or { userId = identity, sessions = {} }
local known = false
for _, s in ipairs(rec.sessions) do if s.sid == sid then known = true end end
if not known then
  rec.displayName, rec.role = ARGV[3], ARGV[4]
  rec.sessions[#rec.sessions + 1] = { sid = sid, joinedAt = at, leftAt = cjson.null }
  redis.call('HSET', KEYS[5], identity, cjson.encode(rec))
end
if ARGV[6] == '1' and redis.call('HSETNX', KEYS[2], sid, identity) == 1 then
${AUDIENCE_CHANGE}
end
-- Someone in the room while live after the room had closed (everyone left) opens a new live session.
if lc.phase == 'live' then
  local last = redis.call('LINDEX', KEYS[6], -1)
  if not last or cjson.decode(last).endedAt ~= cjson.null then
    redis.call('RPUSH', KEYS[6], cjson.encode({ startedAt = at, endedAt = cjson.null }))
  end
end
return { ok = true, data = cjson.null, changes = changes }
`);

/**
 * participant_left. KEYS: lifecycle, present, gone, audience, attendance.
 * ARGV: sid, identity, display name, role, joined at, left at.
 */
export const LEFT = liveScript(`
local sid, identity = ARGV[1], ARGV[2]
local changes = {}
redis.call('SADD', KEYS[3], sid)
redis.call('EXPIRE', KEYS[3], 7 * 24 * 3600)
local raw = redis.call('HGET', KEYS[5], identity)
local rec = raw and cjson.decode(raw) or { userId = identity, displayName = ARGV[3], role = ARGV[4], sessions = {} }
local found = false
for _, s in ipairs(rec.sessions) do
  if s.sid == sid then
    found = true
    if s.leftAt == cjson.null then s.leftAt = ARGV[6] end
  end
end
if not found then rec.sessions[#rec.sessions + 1] = { sid = sid, joinedAt = ARGV[5], leftAt = ARGV[6] } end
redis.call('HSET', KEYS[5], identity, cjson.encode(rec))
if redis.call('HDEL', KEYS[2], sid) == 1 then
${AUDIENCE_CHANGE}
end
return { ok = true, data = cjson.null, changes = changes }
`);

/**
 * room_finished: everyone is out. KEYS: lifecycle, present, gone, audience, attendance, sessions.
 * ARGV: finished at. Open attendance sessions and the open live session end then.
 */
export const FINISHED = liveScript(`
local at = ARGV[1]
local changes = {}
local all = redis.call('HGETALL', KEYS[5])
for i = 1, #all, 2 do
  local rec = cjson.decode(all[i + 1])
  local open = false
  for _, s in ipairs(rec.sessions) do
    if s.leftAt == cjson.null then s.leftAt = at; open = true end
  end
  if open then redis.call('HSET', KEYS[5], all[i], cjson.encode(rec)) end
end
for _, sid in ipairs(redis.call('HKEYS', KEYS[2])) do redis.call('SADD', KEYS[3], sid) end
redis.call('DEL', KEYS[2])
${AUDIENCE_CHANGE}
local last = redis.call('LINDEX', KEYS[6], -1)
if last then
  local s = cjson.decode(last)
  if s.endedAt == cjson.null then
    s.endedAt = at
    redis.call('LSET', KEYS[6], -1, cjson.encode(s))
  end
end
return { ok = true, data = cjson.null, changes = changes }
`);
