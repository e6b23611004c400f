/**
 * Questions from a panel held elsewhere (the demo's generated panels): replaces an ended event's
 * whole Q&A with answered questions, each with the moments it was "answering now", so the
 * past-event page and search read them exactly as they read a live panel's.
 *
 * One Lua body through the live wrapper as a server write (versioned and broadcast, no op id),
 * using the keys of scripts.ts. Earlier questions are removed; question ids keep counting up, so
 * no id ever names two questions.
 */
import { z } from 'zod';
import { Instant, LIMITS_QA } from '@colloquy/shared';
import type { EventRecord } from '../events/store.ts';
import { AppError } from '../http/errors.ts';
import { liveScript } from '../live/ops.ts';
import type { Live } from '../live/registry.ts';
import { qaPrefix } from './scripts.ts';

export const ArchivedQuestion = z.object({
  text: z.string().trim().min(1).max(LIMITS_QA.questionMaxLength),
  /** Shown as the asker; null for an anonymous question. */
  authorName: z.string().trim().min(1).max(80).nullable(),
  votes: z.number().int().min(0).max(10_000),
  createdAt: Instant,
  /** When it was pinned as "answering now" (at least once: these are answered questions). */
  answeringAt: z
    .array(z.object({ start: Instant, end: Instant }))
    .min(1)
    .max(20),
});
export type ArchivedQuestion = z.input<typeof ArchivedQuestion>;

// ARGV: prefix, questions JSON. Voters are placeholder ids ('import:<question>:<n>'), so `votes`
// stays the size of the voters set as everywhere else.
const IMPORT = liveScript(`
local P = ARGV[1]
local IDX, SETTINGS, SEQ = P .. 'index', P .. 'settings', P .. 'seq'
local function qk(id) return P .. 'q:' .. id end
local function vk(id) return P .. 'q:' .. id .. ':voters' end
local changes = {}
local last = tonumber(redis.call('GET', SEQ) or '0')
for n = 1, last do
  local id = tostring(n)
  if redis.call('DEL', qk(id), vk(id)) > 0 then
    changes[#changes + 1] = { kind = 'question', id = id, public = cjson.null, staff = cjson.null }
  end
end
redis.call('DEL', IDX)
redis.call('HSET', SETTINGS, 'pinned', '')
local ids = {}
for _, q in ipairs(cjson.decode(ARGV[2])) do
  local id = tostring(redis.call('INCR', SEQ))
  local anon, uid, name = '0', 'import:' .. id, q.authorName
  if name == cjson.null then anon, name = '1', 'Anonymous' end
  for v = 1, q.votes do redis.call('SADD', vk(id), 'import:' .. id .. ':' .. v) end
  redis.call('HSET', qk(id), 'id', id, 'text', q.text, 'authorId', uid, 'authorName', name, 'anonymous', anon,
    'status', 'answered', 'votes', q.votes, 'createdAt', q.createdAt, 'edited', '0', 'flagged', '0',
    'spans', cjson.encode(q.answeringAt))
  redis.call('ZADD', IDX, tonumber(id), id)
  local view = { id = id, text = q.text, status = 'answered', votes = q.votes, createdAt = q.createdAt,
    edited = false, anonymous = anon == '1', answeringAt = q.answeringAt }
  local staff = {}
  for k, v in pairs(view) do staff[k] = v end
  staff.author = { id = uid, name = name }
  staff.flagged = false
  if anon == '1' then view.author = cjson.null else view.author = staff.author end
  changes[#changes + 1] = { kind = 'question', id = id, public = view, staff = staff }
  ids[#ids + 1] = id
end
local s = redis.call('HGET', SETTINGS, 'premoderation')
changes[#changes + 1] = { kind = 'settings', id = 'main', public = { premoderation = s == '1', pinnedId = cjson.null } }
return { ok = true, data = ids, changes = changes }
`);

/**
 * Replaces the Q&A of an ended event with `questions` (all answered). Returns the new question
 * ids in the given order. Refuses (AppError conflict) an event that has not ended.
 */
export async function importArchivedQuestions(
  live: Live,
  event: EventRecord,
  questions: readonly ArchivedQuestion[],
): Promise<string[]> {
  if (event.status !== 'ended') throw new AppError('conflict', 'Only an ended event takes archived questions');
  const list = z.array(ArchivedQuestion).max(500).parse(questions);
  const r = await live.writer.system<string[] | Record<string, never>>(IMPORT, {
    feature: 'qa',
    eventId: event.id,
    slug: event.slug,
    keys: [],
    args: [qaPrefix(event.id), JSON.stringify(list)],
  });
  return Array.isArray(r.data) ? r.data : [];
}
