/**
 * Moments in a replay: parsing the `?t=` of a deep link, writing one back, and finding the cue or
 * chapter that is playing at a given second.
 */

/** Longest moment a link may name (a day): anything past it is ignored. */
const MAX_SECONDS = 24 * 3600;

/**
 * Seconds named by a `t` parameter, or null when it names none: `754`, `754.5`, `12m34s`, `1h2m3s`,
 * `34s`, `12:34` or `1:02:03`.
 */
export function parseMoment(raw: string | null | undefined): number | null {
  if (!raw) return null;
  const s = raw.trim().toLowerCase();
  if (s.length === 0 || s.length > 16) return null;
  let seconds: number | null = null;
  if (/^\d+(\.\d+)?$/.test(s)) seconds = Number(s);
  else {
    const hms = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(s);
    if (hms && (hms[1] || hms[2] || hms[3])) {
      seconds = Number(hms[1] ?? 0) * 3600 + Number(hms[2] ?? 0) * 60 + Number(hms[3] ?? 0);
    } else {
      const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(s);
      if (clock) seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    }
  }
  return seconds !== null && Number.isFinite(seconds) && seconds <= MAX_SECONDS ? seconds : null;
}

/** The `?t=` value for a moment: whole seconds (what search results link to as well). */
export const momentParam = (seconds: number) => String(Math.max(0, Math.floor(seconds)));

/**
 * The index of the item playing at `time` in a list sorted by `start`: the last one that started,
 * or -1 before the first. With `end`, an item is only current until it ends.
 */
export function indexAt(items: readonly { start: number; end?: number }[], time: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start <= time + 1e-3) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return -1;
  const end = items[found]!.end;
  return end !== undefined && time > end + 0.25 ? -1 : found;
}
