/**
 * Wall-clock time in an IANA zone ⇄ UTC instants, with Intl only (so the server's form actions
 * and the browser's live preview compute the same answer, and nothing extra ships to the browser).
 *
 * A wall-clock time can be missing in a zone (the hour skipped when clocks go forward) or happen
 * twice (the hour repeated when they go back). We refuse a missing time with a clear message, and
 * take the first of a repeated one (as Temporal's "compatible" disambiguation does).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at instant `ms`, as if that wall clock were UTC (ms since epoch). */
function wallAsUtc(ms: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal' && part.type !== 'era') p[part.type] = Number(part.value);
  }
  const t = new Date(0);
  t.setUTCFullYear(p.year!, p.month! - 1, p.day!);
  t.setUTCHours(p.hour! % 24, p.minute!, p.second!, 0);
  return t.getTime();
}

/** The zone's offset from UTC at instant `ms`, in ms (east positive). */
export function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(whole, zone) - whole;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `YYYY-MM-DD` + `HH:MM` as ms since epoch in UTC, or null when either is not a real date or time. */
export function parseWallClock(date: string, time: string): number | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (y < 1970 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, da, h, mi, s);
  // 31 February rolls over into March: not a real date.
  if (new Date(ms).getUTCDate() !== da) return null;
  return ms;
}

export type ZonedResult =
  | { ok: true; instant: string }
  | { ok: false; reason: 'invalid' }
  /** The time does not exist that day in the zone (clocks went forward over it). */
  | { ok: false; reason: 'skipped' };

const DAY = 86_400_000;

/** The UTC instant when the wall clock in `zone` reads `date` `time`. */
export function zonedToInstant(date: string, time: string, zone: string): ZonedResult {
  const wall = parseWallClock(date, time);
  if (wall === null) return { ok: false, reason: 'invalid' };
  // Offsets a day either side bracket any transition near this wall time (zones change at most
  // once a day); each gives a candidate instant, which is right if the zone agrees with it.
  const candidates = [...new Set([wall - offsetAt(wall - DAY, zone), wall - offsetAt(wall + DAY, zone)])]
    .filter((ms) => wallAsUtc(ms, zone) === wall)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) return { ok: false, reason: 'skipped' };
  return { ok: true, instant: new Date(first).toISOString().replace('.000Z', 'Z') };
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');

/** The wall clock in `zone` at an instant: `{ date: 'YYYY-MM-DD', time: 'HH:MM' }`. */
export function instantToZoned(iso: string, zone: string): { date: string; time: string } {
  const wall = new Date(wallAsUtc(Date.parse(iso), zone));
  return {
    date: `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`,
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`,
  };
}
