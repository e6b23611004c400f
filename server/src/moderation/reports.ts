/**
 * Reports: anyone with a role reports a question or a message, once per item; the item's open
 * report counts its reporters and keeps the latest reasons; moderators dismiss or resolve it
 * (resolving can remove the item through its ReportTarget). The queue is part of the `chat` live
 * feature's staff projection (kind `report`), so moderators see it live; the audience sees nothing
 * of it but an opaque report id being removed.
 *
 * Redis, per event:
 *   mod:{eventId}:reports                   hash  report id → ChatReport JSON (open reports only)
 *   mod:{eventId}:report-of                 hash  `{kind}:{itemId}` → open report id
 *   mod:{eventId}:report-seq                counter for report ids
 *   mod:{eventId}:reporters:{kind}:{itemId} set   who reported the item (kept after review: one report per person per item)
 */
import type { ChatReport, ReportKind } from '@colloquy/shared';
import { AppError } from '../http/errors.ts';
import type { FeatureDeps, SocketHandlers } from '../live/feature.ts';
import { liveScript } from '../live/ops.ts';
import { PREFIX } from '../store/redis.ts';

export const reportKeys = (eventId: string) => ({
  reports: `${PREFIX}mod:${eventId}:reports`,
  open: `${PREFIX}mod:${eventId}:report-of`,
  seq: `${PREFIX}mod:${eventId}:report-seq`,
  reporters: (kind: ReportKind, itemId: string) => `${PREFIX}mod:${eventId}:reporters:${kind}:${itemId}`,
});

/** KEYS: reports, open, reporters, seq. ARGV: item key, user id, kind, item id, text, author name, author id, reason, now. */
const REPORT = liveScript(`
if redis.call('SADD', KEYS[3], ARGV[2]) == 0 then
  return { ok = false, code = 'conflict', message = 'You have already reported this' }
end
local rid = redis.call('HGET', KEYS[2], ARGV[1])
local r
if rid then
  r = cjson.decode(redis.call('HGET', KEYS[1], rid))
  r.reporters = r.reporters + 1
  r.lastAt = ARGV[9]
else
  rid = tostring(redis.call('INCR', KEYS[4]))
  redis.call('HSET', KEYS[2], ARGV[1], rid)
  r = { id = rid, kind = ARGV[3], itemId = ARGV[4], text = ARGV[5], authorName = ARGV[6], authorId = ARGV[7],
        reporters = 1, reasons = {}, firstAt = ARGV[9], lastAt = ARGV[9] }
end
if ARGV[8] ~= '' then
  local reasons = {}
  for i = math.max(1, #r.reasons - 3), #r.reasons do reasons[#reasons + 1] = r.reasons[i] end
  reasons[#reasons + 1] = ARGV[8]
  r.reasons = reasons
end
redis.call('HSET', KEYS[1], rid, cjson.encode(r))
return { ok = true, data = { reportId = rid }, changes = { { kind = 'report', id = rid, public = cjson.null, staff = r } } }
`);

/** KEYS: reports, open. ARGV: report id. */
const REVIEW = liveScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { ok = false, code = 'not_found', message = 'No such report (it may have been reviewed already)' } end
local r = cjson.decode(raw)
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], r.kind .. ':' .. r.itemId)
return { ok = true, data = { kind = r.kind, itemId = r.itemId },
         changes = { { kind = 'report', id = ARGV[1], public = cjson.null, staff = cjson.null } } }
`);

/** KEYS: reports, open. ARGV: item key. Closes the item's open report (when the item was deleted). */
const CLOSE = liveScript(`
local rid = redis.call('HGET', KEYS[2], ARGV[1])
if not rid then return { ok = false, code = 'not_found', message = 'No open report' } end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], rid)
return { ok = true, data = cjson.null, changes = { { kind = 'report', id = rid, public = cjson.null, staff = cjson.null } } }
`);

/** A stored report as the browser gets it (Lua's cjson writes an empty list as `{}`). */
export function reportFromJson(raw: string): ChatReport {
  const r = JSON.parse(raw) as ChatReport;
  return { ...r, reasons: Array.isArray(r.reasons) ? r.reasons : [] };
}

export function reportHandlers(d: FeatureDeps): SocketHandlers<'moderation:report' | 'moderation:review'> {
  return {
    'moderation:report': {
      action: 'moderation:report',
      eventSlug: (p) => p.slug,
      async run(_socket, p, { event, principal }) {
        const ev = event!;
        const target = d.moderation.reportTarget(p.kind);
        const item = target ? await target.describe(ev.id, p.id) : null;
        if (!item) throw new AppError('not_found', `No such ${p.kind} in this event`);
        const k = reportKeys(ev.id);
        const r = await d.live.writer.run<{ reportId: string }>(REPORT, {
          feature: 'chat',
          eventId: ev.id,
          slug: ev.slug,
          userId: principal!.userId,
          opId: p.opId,
          name: 'moderation:report',
          payload: p,
          keys: [k.reports, k.open, k.reporters(p.kind, p.id), k.seq],
          args: [
            `${p.kind}:${p.id}`,
            principal!.userId,
            p.kind,
            p.id,
            item.text,
            item.authorName,
            item.authorId,
            p.reason ?? '',
            d.now().toISOString(),
          ],
        });
        return { data: r.data, version: r.version };
      },
    },
    'moderation:review': {
      action: 'moderation:review',
      eventSlug: (p) => p.slug,
      async run(_socket, p, { event, principal }) {
        const ev = event!;
        const k = reportKeys(ev.id);
        const r = await d.live.writer.run<{ kind: ReportKind; itemId: string }>(REVIEW, {
          feature: 'chat',
          eventId: ev.id,
          slug: ev.slug,
          userId: principal!.userId,
          opId: p.opId,
          name: 'moderation:review',
          payload: p,
          keys: [k.reports, k.open],
          args: [p.reportId],
        });
        let removed = false;
        if (!r.replayed && p.outcome === 'resolved' && p.removeItem) {
          const target = d.moderation.reportTarget(r.data.kind);
          if (target?.remove) removed = await target.remove(ev, r.data.itemId);
        }
        return { data: { ...r.data, removed }, version: r.version };
      },
    },
  };
}

/** Closes the open report of an item that was removed some other way; false when there was none. */
export async function closeReportsOf(
  d: FeatureDeps,
  event: { id: string; slug: string },
  kind: ReportKind,
  itemId: string,
): Promise<boolean> {
  const k = reportKeys(event.id);
  try {
    await d.live.writer.system(CLOSE, {
      feature: 'chat',
      eventId: event.id,
      slug: event.slug,
      keys: [k.reports, k.open],
      args: [`${kind}:${itemId}`],
    });
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return false;
    throw err;
  }
}
