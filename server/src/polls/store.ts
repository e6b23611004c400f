/**
 * Polls in Redis. Per event:
 *   polls:{eventId}                     hash   poll id → the poll's JSON (no results)
 *   polls:{eventId}:seq                 string creation counter (orders polls)
 *   polls:{eventId}:{pollId}:ballots    hash   user id → JSON array of that person's choices
 *   polls:{eventId}:{pollId}:tally      zset   choice → number of current ballots holding it
 * Every write is one Lua script inside the live wrapper (ops.ts): a vote takes the old ballot's
 * choices off the tally and adds the new ones in the same script that stores the ballot, so the
 * tally always equals the sum of the current ballots, and a retried op id changes nothing.
 */
import { LIMITS_POLLS, pollFromWire, type Poll, type PollBallot, type PollsListing } from '@colloquy/shared';
import { liveScript, versionKey } from '../live/ops.ts';
import { LuaScript } from '../live/lua.ts';
import { PREFIX, type Redis } from '../store/redis.ts';

export const pollKeys = {
  base: (eventId: string) => `${PREFIX}polls:${eventId}`,
  polls: (eventId: string) => `${PREFIX}polls:${eventId}`,
  seq: (eventId: string) => `${PREFIX}polls:${eventId}:seq`,
  ballots: (eventId: string, pollId: string) => `${PREFIX}polls:${eventId}:${pollId}:ballots`,
  tally: (eventId: string, pollId: string) => `${PREFIX}polls:${eventId}:${pollId}:tally`,
};

/**
 * Lua helpers shared by the writes and the snapshot: the results of a poll (absolute counts, zeros
 * filled in for options and ratings) and its two projections. Staff always see results; everyone
 * else sees no drafts, and results only once published.
 */
const HELPERS = `
local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
local function results(poll, ballotsKey, tallyKey, shown)
  local counts = {}
  local raw = redis.call('ZREVRANGE', tallyKey, 0, shown - 1, 'WITHSCORES')
  for i = 1, #raw, 2 do counts[raw[i]] = tonumber(raw[i + 1]) end
  if poll.kind == 'rating' then
    for r = 1, 5 do local k = tostring(r) if counts[k] == nil then counts[k] = 0 end end
  elseif poll.kind ~= 'words' then
    for _, o in ipairs(poll.options) do if counts[o.id] == nil then counts[o.id] = 0 end end
  end
  return { voters = redis.call('HLEN', ballotsKey), counts = counts }
end
local function views(poll, ballotsKey, tallyKey, shown)
  local staff = copy(poll)
  staff.results = results(poll, ballotsKey, tallyKey, shown)
  if poll.state == 'draft' then return cjson.null, staff end
  local public = copy(poll)
  if poll.published then public.results = staff.results else public.results = cjson.null end
  return public, staff
end
local function change(poll, ballotsKey, tallyKey, shown)
  local public, staff = views(poll, ballotsKey, tallyKey, shown)
  return { kind = 'poll', id = poll.id, public = public, staff = staff }
end
local function refuse(code, message) return { ok = false, code = code, message = message } end
`;

/** KEYS: polls, seq, ballots, tally. ARGV: poll id, kind, question, options JSON, now, max polls, shown. */
const CREATE = liveScript(`${HELPERS}
local pollsKey, seqKey = KEYS[1], KEYS[2]
if redis.call('HLEN', pollsKey) >= tonumber(ARGV[6]) then
  return refuse('conflict', 'This event already has as many polls as it can hold')
end
local options = {}
for i, text in ipairs(cjson.decode(ARGV[4])) do options[i] = { id = 'o' .. i, text = text } end
local poll = { id = ARGV[1], kind = ARGV[2], question = ARGV[3], options = options, state = 'draft',
  published = false, seq = redis.call('INCR', seqKey), createdAt = ARGV[5], openedAt = cjson.null, closedAt = cjson.null }
redis.call('HSET', pollsKey, poll.id, cjson.encode(poll))
local c = change(poll, KEYS[3], KEYS[4], tonumber(ARGV[7]))
return { ok = true, data = c.staff, changes = { c } }
`);

/** Reads the poll named by ARGV[1] from KEYS[1], or returns a refusal. */
const LOAD = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return refuse('not_found', 'No poll with that id') end
local poll = cjson.decode(raw)
`;

/** KEYS: polls, ballots, tally. ARGV: poll id, kind, question, options JSON, shown. */
const UPDATE = liveScript(`${HELPERS}${LOAD}
if poll.state ~= 'draft' then return refuse('conflict', 'Only a draft can be edited') end
local options = {}
for i, text in ipairs(cjson.decode(ARGV[4])) do options[i] = { id = 'o' .. i, text = text } end
poll.kind, poll.question, poll.options = ARGV[2], ARGV[3], options
redis.call('HSET', KEYS[1], poll.id, cjson.encode(poll))
local c = change(poll, KEYS[2], KEYS[3], tonumber(ARGV[5]))
return { ok = true, data = c.staff, changes = { c } }
`);

/** KEYS: polls, ballots, tally. ARGV: poll id. */
const DELETE = liveScript(`${HELPERS}${LOAD}
if poll.state ~= 'draft' then return refuse('conflict', 'Only a draft can be deleted: results are kept') end
redis.call('HDEL', KEYS[1], poll.id)
redis.call('DEL', KEYS[2], KEYS[3])
return { ok = true, data = cjson.null, changes = { { kind = 'poll', id = poll.id, public = cjson.null, staff = cjson.null } } }
`);

/**
 * KEYS: polls, ballots, tally. ARGV: poll id, transition (open|close|publish|unpublish), now, shown.
 * open: draft → open; close: open → closed; publish/unpublish: open or closed.
 */
const TRANSITION = liveScript(`${HELPERS}${LOAD}
local t = ARGV[2]
if t == 'open' then
  if poll.state ~= 'draft' then return refuse('conflict', 'This poll has already been launched') end
  poll.state, poll.openedAt = 'open', ARGV[3]
elseif t == 'close' then
  if poll.state ~= 'open' then return refuse('conflict', 'Only an open poll can be closed') end
  poll.state, poll.closedAt = 'closed', ARGV[3]
else
  if poll.state == 'draft' then return refuse('conflict', 'Launch the poll before publishing its results') end
  poll.published = (t == 'publish')
end
redis.call('HSET', KEYS[1], poll.id, cjson.encode(poll))
local c = change(poll, KEYS[2], KEYS[3], tonumber(ARGV[4]))
return { ok = true, data = c.staff, changes = { c } }
`);

/**
 * KEYS: polls, ballots, tally. ARGV: poll id, user id, choices JSON (a non-empty array of distinct,
 * normalized strings), words per ballot, shown.
 */
const VOTE = liveScript(`${HELPERS}${LOAD}
if poll.state ~= 'open' then return refuse('conflict', 'This poll is not open for voting') end
local choices = cjson.decode(ARGV[3])
local kind = poll.kind
if (kind == 'single' or kind == 'rating') and #choices ~= 1 then
  return refuse('validation_failed', 'Choose exactly one answer')
end
if kind == 'single' or kind == 'multiple' then
  local known = {}
  for _, o in ipairs(poll.options) do known[o.id] = true end
  for _, c in ipairs(choices) do
    if not known[c] then return refuse('validation_failed', 'That is not one of the options') end
  end
elseif kind == 'rating' then
  local r = choices[1]
  if r ~= '1' and r ~= '2' and r ~= '3' and r ~= '4' and r ~= '5' then
    return refuse('validation_failed', 'A rating is a whole number from 1 to 5')
  end
elseif #choices > tonumber(ARGV[4]) then
  return refuse('validation_failed', 'At most ' .. ARGV[4] .. ' answers')
end
local old = redis.call('HGET', KEYS[2], ARGV[2])
if old then
  for _, c in ipairs(cjson.decode(old)) do
    if tonumber(redis.call('ZINCRBY', KEYS[3], -1, c)) <= 0 then redis.call('ZREM', KEYS[3], c) end
  end
end
for _, c in ipairs(choices) do redis.call('ZINCRBY', KEYS[3], 1, c) end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
local ch = change(poll, KEYS[2], KEYS[3], tonumber(ARGV[5]))
return { ok = true, data = { choices = choices }, changes = { ch } }
`);

/**
 * Read-only: the feature's version and every poll, in one script so they agree. KEYS: version,
 * polls. ARGV: key base (polls:{eventId}), staff '1'|'0', user id ('' for none), shown.
 * Returns JSON { version, polls = [...], mine = { [pollId] = choices } }.
 */
const SNAPSHOT = new LuaScript(`${HELPERS}
local base, staff, user, shown = ARGV[1], ARGV[2] == '1', ARGV[3], tonumber(ARGV[4])
local version = tonumber(redis.call('GET', KEYS[1]) or '0')
local list, mine = {}, {}
local all = redis.call('HGETALL', KEYS[2])
for i = 2, #all, 2 do
  local poll = cjson.decode(all[i])
  local ballotsKey, tallyKey = base .. ':' .. poll.id .. ':ballots', base .. ':' .. poll.id .. ':tally'
  local public, staffView = views(poll, ballotsKey, tallyKey, shown)
  local view = staff and staffView or public
  if view ~= cjson.null then list[#list + 1] = view end
  if user ~= '' and poll.state ~= 'draft' then
    local b = redis.call('HGET', ballotsKey, user)
    if b then mine[poll.id] = cjson.decode(b) end
  end
end
return cjson.encode({ version = version, polls = list, mine = mine })
`);

export type PollContent = { kind: Poll['kind']; question: string; options: string[] };

interface WriteTarget {
  eventId: string;
}

export const pollScripts = { CREATE, UPDATE, DELETE, TRANSITION, VOTE };

/** Keys and args of each write, for live.writer.run/system. */
export const pollWrites = {
  create: (e: WriteTarget, pollId: string, c: PollContent, now: string) => ({
    keys: [
      pollKeys.polls(e.eventId),
      pollKeys.seq(e.eventId),
      pollKeys.ballots(e.eventId, pollId),
      pollKeys.tally(e.eventId, pollId),
    ],
    args: [
      pollId,
      c.kind,
      c.question,
      JSON.stringify(c.options),
      now,
      LIMITS_POLLS.pollsPerEvent,
      LIMITS_POLLS.wordsShown,
    ],
  }),
  update: (e: WriteTarget, pollId: string, c: PollContent) => ({
    keys: refKeys(e.eventId, pollId),
    args: [pollId, c.kind, c.question, JSON.stringify(c.options), LIMITS_POLLS.wordsShown],
  }),
  delete: (e: WriteTarget, pollId: string) => ({ keys: refKeys(e.eventId, pollId), args: [pollId] }),
  transition: (e: WriteTarget, pollId: string, t: 'open' | 'close' | 'publish' | 'unpublish', now: string) => ({
    keys: refKeys(e.eventId, pollId),
    args: [pollId, t, now, LIMITS_POLLS.wordsShown],
  }),
  vote: (e: WriteTarget, pollId: string, userId: string, choices: string[]) => ({
    keys: refKeys(e.eventId, pollId),
    args: [pollId, userId, JSON.stringify(choices), LIMITS_POLLS.wordsPerBallot, LIMITS_POLLS.wordsShown],
  }),
};

function refKeys(eventId: string, pollId: string) {
  return [pollKeys.polls(eventId), pollKeys.ballots(eventId, pollId), pollKeys.tally(eventId, pollId)];
}

/** Polls in the order they were created. */
const bySeq = (a: Poll, b: Poll) => a.seq - b.seq;

/** The caller's view of an event's polls and the version it is at (read atomically). */
export async function readPolls(
  redis: Redis,
  eventId: string,
  viewer: { staff: boolean; userId: string | null },
): Promise<PollsListing> {
  const raw = (await SNAPSHOT.run(
    redis,
    [versionKey(eventId, 'polls'), pollKeys.polls(eventId)],
    [pollKeys.base(eventId), viewer.staff ? '1' : '0', viewer.userId ?? '', String(LIMITS_POLLS.wordsShown)],
  )) as string;
  const parsed = JSON.parse(raw) as {
    version: number;
    polls: Poll[] | Record<string, never>;
    mine: Record<string, string[]>;
  };
  const polls = (Array.isArray(parsed.polls) ? parsed.polls : []).map(pollFromWire).sort(bySeq);
  const mine: Record<string, PollBallot> = {};
  for (const [id, choices] of Object.entries(parsed.mine)) mine[id] = { choices };
  return { version: parsed.version, polls, mine };
}

/**
 * For the archive: an event's closed polls with their full results (whatever was published),
 * in the order they were created. Call `closeOpenPolls` first when the event ends.
 */
export async function closedPollsWithResults(redis: Redis, eventId: string): Promise<Poll[]> {
  const { polls } = await readPolls(redis, eventId, { staff: true, userId: null });
  return polls.filter((p) => p.state === 'closed');
}
