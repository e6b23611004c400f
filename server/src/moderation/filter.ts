/**
 * Word-filter matching: whole words (or whole phrases of words), case- and accent-insensitive.
 * Text and filter words are folded the same way (NFKD, combining marks stripped, lower case, a few
 * letters NFKD does not decompose spelled out) and cut into runs of letters and digits, so "Café!"
 * matches the word "cafe" but "cafeteria" does not.
 */

const SPELLED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th' };

/** The folded words of `text`, in order. */
export function foldWords(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđłıþ]/g, (c) => SPELLED[c] ?? c);
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A compiled filter: single words in a set, phrases as folded strings. */
export class WordMatcher {
  private readonly single = new Map<string, string>();
  private readonly phrases: { folded: string; word: string }[] = [];

  constructor(words: Iterable<string>) {
    for (const word of words) {
      const parts = foldWords(word);
      if (parts.length === 0) continue;
      if (parts.length === 1) this.single.set(parts[0]!, word);
      else this.phrases.push({ folded: ` ${parts.join(' ')} `, word });
    }
  }

  /** The filter words found in `text` (each once, as the organizers wrote them). */
  match(text: string): string[] {
    if (this.single.size === 0 && this.phrases.length === 0) return [];
    const words = foldWords(text);
    const found = new Set<string>();
    for (const w of words) {
      const hit = this.single.get(w);
      if (hit !== undefined) found.add(hit);
    }
    if (this.phrases.length > 0) {
      const joined = ` ${words.join(' ')} `;
      for (const p of this.phrases) if (joined.includes(p.folded)) found.add(p.word);
    }
    return [...found];
  }
}
