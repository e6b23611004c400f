/**
 * The time zones an organizer can pick: the runtime's IANA list under today's names (ICU still
 * reports some old ones, such as Asia/Calcutta), plus UTC, and a forgiving lookup of typed text.
 */
import { isTimeZone } from '@colloquy/shared';

/** Old names ICU canonicalizes to, and the names people use today (all accepted by Intl). */
const RENAMED: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

function supported(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

let cached: string[] | undefined;

/** Every zone, by its current name, sorted; UTC first. */
export function timeZones(): string[] {
  cached ??= [
    'UTC',
    ...[...new Set(supported().map((z) => RENAMED[z] ?? z))]
      .filter((z) => z !== 'UTC' && isTimeZone(z))
      .sort((a, b) => a.localeCompare(b, 'en')),
  ];
  return cached;
}

let byLower: Map<string, string> | undefined;

/**
 * The zone someone meant by `text` ("africa/nairobi", "Asia/Calcutta", "utc"), under its current
 * name; null when no zone has that name.
 */
export function normalizeZone(text: string): string | null {
  const typed = text.trim().replace(/\s+/g, '_');
  if (!typed || typed.length > 64) return null;
  byLower ??= new Map(timeZones().map((z) => [z.toLowerCase(), z]));
  const known = byLower.get(typed.toLowerCase());
  if (known) return known;
  for (const [old, current] of Object.entries(RENAMED)) if (old.toLowerCase() === typed.toLowerCase()) return current;
  if (!isTimeZone(typed)) return null;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
  return RENAMED[resolved] ?? resolved;
}

/** Zones shown in the start-time preview, beside the event's own. */
export const PREVIEW_ZONES = [
  'UTC',
  'Africa/Nairobi',
  'Asia/Beirut',
  'Asia/Kolkata',
  'Europe/Paris',
  'America/New_York',
] as const;
