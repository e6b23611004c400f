/**
 * Polls from a panel held elsewhere (the demo's generated panels): replaces an ended event's
 * polls with closed single-choice polls and their results, so the past-event page reads them
 * through `closedPollsWithResults` like a live panel's.
 *
 * One Lua body through the live wrapper as a server write (versioned and broadcast, no op id),
 * with the keys of store.ts. Results are real ballots of placeholder voters ('import:<n>'), so the
 * tally still equals the sum of the ballots and `voters` the number of ballots.
 */
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { Instant, LIMITS_POLLS } from '@colloquy/shared';
import type { EventRecord } from '../events/store.ts';
import { AppError } from '../http/errors.ts';
import { liveScript } from '../live/ops.ts';
import type { Live } from '../live/registry.ts';
import { pollKeys } from './store.ts';

export const ArchivedPoll = z
  .object({
    question: z.string().trim().min(1).max(LIMITS_POLLS.questionMaxLength),
    options: z
      .array(z.string().trim().min(1).max(LIMITS_POLLS.optionMaxLength))
      .min(LIMITS_POLLS.optionsMin)
      .max(LIMITS_POLLS.optionsMax),
    /** Votes per option, in the options' order. */
    counts: z.array(z.number().int().min(0).max(100_000)),
    openedAt: Instant,
    closedAt: Instant,
    /** Results shown to everyone (the archive shows only published polls). */
    published: z.boolean(),
  })
  .refine((p) => p.counts.length === p.options.length, { message: 'one count per option', path: ['counts'] })
  .refine((p) => Date.parse(p.closedAt) >= Date.parse(p.openedAt), {
    message: 'closed before it opened',
    path: ['closedAt'],
  });
export type ArchivedPoll = z.input<typeof ArchivedPoll>;

// KEYS: polls hash, seq. ARGV: key base (polls:{eventId}), polls JSON (each with its id).
const IMPORT = liveScript(`
local pollsKey, seqKey, base = KEYS[1], KEYS[2], ARGV[1]
local function ballotsKey(id) return base .. ':' .. id .. ':ballots' end
local function tallyKey(id) return base .. ':' .. id .. ':tally' end
local changes = {}
local old = redis.call('HKEYS', pollsKey)
for _, id in ipairs(old) do
  redis.call('DEL', ballotsKey(id), tallyKey(id))
  changes[#changes + 1] = { kind = 'poll', id = id, public = cjson.null, staff = cjson.null }
end
redis.call('DEL', pollsKey)
local voter = 0
for _, p in ipairs(cjson.decode(ARGV[2])) do
  local options, counts = {}, {}
  for i, text in ipairs(p.options) do
    local oid = 'o' .. i
    options[i] = { id = oid, text = text }
    local n = p.counts[i]
    counts[oid] = n
    if n > 0 then redis.call('ZADD', tallyKey(p.id), n, oid) end
    local ballot = cjson.encode({ oid })
    for _ = 1, n do
      voter = voter + 1
      redis.call('HSET', ballotsKey(p.id), 'import:' .. voter, ballot)
    end
  end
  local poll = { id = p.id, kind = 'single', question = p.question, options = options, state = 'closed',
    published = p.published, seq = redis.call('INCR', seqKey), createdAt = p.openedAt, openedAt = p.openedAt,
    closedAt = p.closedAt }
  redis.call('HSET', pollsKey, p.id, cjson.encode(poll))
  local staff = {}
  for k, v in pairs(poll) do staff[k] = v end
  staff.results = { voters = redis.call('HLEN', ballotsKey(p.id)), counts = counts }
  local public = {}
  for k, v in pairs(poll) do public[k] = v end
  if p.published then public.results = staff.results else public.results = cjson.null end
  changes[#changes + 1] = { kind = 'poll', id = p.id, public = public, staff = staff }
end
return { ok = true, data = cjson.null, changes = changes }
`);

/**
 * Replaces the polls of an ended event with `polls` (closed, with their results). Returns the new
 * poll ids in the given order. Refuses (AppError conflict) an event that has not ended.
 */
export async function importClosedPolls(
  live: Live,
  event: EventRecord,
  polls: readonly ArchivedPoll[],
): Promise<string[]> {
  if (event.status !== 'ended') throw new AppError('conflict', 'Only an ended event takes archived polls');
  const list = z.array(ArchivedPoll).max(LIMITS_POLLS.pollsPerEvent).parse(polls);
  const withIds = list.map((p) => ({ ...p, id: uuidv7() }));
  await live.writer.system(IMPORT, {
    feature: 'polls',
    eventId: event.id,
    slug: event.slug,
    keys: [pollKeys.polls(event.id), pollKeys.seq(event.id)],
    args: [pollKeys.base(event.id), JSON.stringify(withIds)],
  });
  return withIds.map((p) => p.id);
}
