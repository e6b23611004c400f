/**
 * Date and time formatting for the catalogue: plain functions over Intl.DateTimeFormat with an
 * explicit IANA zone, so the server and the browser print the same text for the same zone.
 * Output is assembled from formatToParts, not from a locale's whole pattern, so it does not
 * change with the ICU version of the runtime (Node and Chromium disagree on commas).
 */

const LOCALE = 'en-GB';
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = zone + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

function parts(iso: string, zone: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(zone, options).formatToParts(new Date(iso))) out[p.type] = p.value;
  return out;
}

/** "Tuesday 27 April 2021" (or "Tue 27 Apr 2021" when `short`). */
export function formatDate(iso: string, zone: string, short = false): string {
  const len = short ? 'short' : 'long';
  const p = parts(iso, zone, { weekday: len, day: 'numeric', month: len, year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "14:00", on a 24-hour clock. */
export function formatTime(iso: string, zone: string): string {
  const p = parts(iso, zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute}`;
}

/** The zone's offset from UTC at that instant: "GMT+3", "GMT-4", "GMT+5:30", "GMT". */
export function formatOffset(iso: string, zone: string): string {
  const name = parts(iso, zone, { timeZoneName: 'shortOffset' }).timeZoneName ?? 'GMT';
  return name === 'GMT+0' || name === 'UTC' ? 'GMT' : name;
}

/** "Asia/Qatar, GMT+3"; just "UTC" for UTC itself. */
export function formatZone(iso: string, zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  return `${zone}, ${formatOffset(iso, zone)}`;
}

/** "Tuesday 27 April 2021, 14:00 (Asia/Qatar, GMT+3)". */
export function formatInZone(iso: string, zone: string): string {
  return `${formatDate(iso, zone)}, ${formatTime(iso, zone)} (${formatZone(iso, zone)})`;
}

/** "Tue 27 Apr 2021, 14:00 GMT+3" ("… 11:00 UTC" in UTC): compact, for cards. */
export function formatCompact(iso: string, zone: string): string {
  const zoneText = zone === 'UTC' || zone === 'Etc/UTC' ? 'UTC' : formatOffset(iso, zone);
  return `${formatDate(iso, zone, true)}, ${formatTime(iso, zone)} ${zoneText}`;
}

/** True when both instants fall on the same calendar day in `zone`. */
export function sameDay(a: string, b: string, zone: string): boolean {
  return formatDate(a, zone) === formatDate(b, zone);
}

/** "14:00–15:30", or with the end's date when the event runs past midnight in that zone. */
export function formatRange(start: string, end: string, zone: string): string {
  const endText = sameDay(start, end, zone)
    ? formatTime(end, zone)
    : `${formatDate(end, zone, true)}, ${formatTime(end, zone)}`;
  return `${formatTime(start, zone)}–${endText}`;
}

const UNITS = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
] as const;

/**
 * Time left until a start, as words: "Starts in 8 days, 21 hours" with `units` = 2.
 * Counts down whole units (never rounds up), so ticking once a second reads naturally.
 */
export function countdownText(msLeft: number, units = 2): string {
  if (msLeft <= 0) return 'Starting now';
  let rest = Math.floor(msLeft / 1000) * 1000;
  const words: string[] = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || words.length > 0) words.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    if (words.length === units) break;
  }
  // Under a second left: nothing whole to count.
  if (words.length === 0) return 'Starting now';
  // A coarse reading drops trailing zero units ("2 days, 0 hours" → "2 days"); a ticking one keeps them.
  if (units < UNITS.length) while (words.length > 1 && words[words.length - 1]!.startsWith('0 ')) words.pop();
  return `Starts in ${words.join(', ')}`;
}

/** "1 hour 30 minutes", "45 minutes", "7 hours". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const words = [];
  if (h > 0) words.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m > 0 || h === 0) words.push(`${m} minute${m === 1 ? '' : 's'}`);
  return words.join(' ');
}
