/** Small text helpers for people and places. */

const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const lists = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** "Kenya" for "KE"; the code itself when the runtime does not know it. */
export function countryName(code: string): string {
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Ada, Grace and Linus" (English list, Oxford comma as Intl gives it). */
export function listNames(names: string[]): string {
  return lists.format(names);
}

const HONORIFICS = new Set(['dr', 'prof', 'mr', 'mrs', 'ms', 'mx', 'sir', 'dame']);

/** Up to two initials from a name, skipping honorifics: "Dr. Leila Haddad" → "LH". */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((w) => w.replace(/[.,]/g, ''))
    .filter((w) => w && !HONORIFICS.has(w.toLowerCase()));
  const picked = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return picked.map((w) => Array.from(w)[0]!.toLocaleUpperCase('en')).join('') || '?';
}

/** A stable small number for a string, to pick an avatar colour. */
export function hashOf(text: string, buckets: number): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h % buckets;
}
