/**
 * Turning what a person typed into an FTS5 MATCH expression that can only mean "these words".
 * Every term is wrapped in double quotes (inner quotes doubled), so FTS5's operators — AND, OR,
 * NOT, NEAR, `*`, `^`, `:`, `+`, quotes, parentheses — are plain text; a term with no letter or
 * digit (which would be an empty phrase) is dropped. Terms are joined by FTS5's implicit AND, or
 * by OR for the "any word" fallback.
 */
import { SEARCH_LIMITS } from '@colloquy/shared';

const WORDISH = /[\p{L}\p{N}]/u;

/**
 * Words too common to search on: in a query with other words they are left out (they would make
 * the ranking read most of the index and change no result's order); a query of nothing else finds
 * nothing. "not" and "no" stay: in speech they matter.
 */
export const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in ' +
    'into is it its me my of on or our she so than that the their them then there these they this those to ' +
    'us was we were what when where which who will with would you your'
  ).split(' '),
);

/** `terms` without stop words (compared lower-case, without edge punctuation), and those left out. */
export function withoutStopWords(terms: readonly string[]): { kept: string[]; ignored: string[] } {
  const kept: string[] = [];
  const ignored: string[] = [];
  for (const t of terms) {
    const bare = t.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    (STOP_WORDS.has(bare) ? ignored : kept).push(t);
  }
  return { kept, ignored };
}

/** The searchable terms of a query, in order, without duplicates (case-insensitive), capped. */
export function searchTerms(q: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const raw of q.normalize('NFKC').split(/\s+/)) {
    const term = raw.trim();
    if (!term || !WORDISH.test(term)) continue;
    const key = term.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length >= SEARCH_LIMITS.maxTerms) break;
  }
  return terms;
}

export function quoteTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The MATCH expression for `terms`: all of them (implicit AND) or any of them (OR). */
export function matchExpression(terms: readonly string[], mode: 'all' | 'any'): string {
  return terms.map(quoteTerm).join(mode === 'all' ? ' ' : ' OR ');
}
