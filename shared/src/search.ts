/**
 * Search across past events: the query the API takes, the hits it answers with, and the
 * highlighted snippet as parts (text or marked text), so no page ever renders HTML for it.
 */
import { z } from 'zod';

export const SEARCH_LIMITS = {
  /** Longest query, in characters. */
  queryMaxLength: 200,
  /** Most words of a query that are searched for (the rest are ignored). */
  maxTerms: 16,
  pageSize: 10,
  maxPage: 50,
} as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const slugFilter = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .max(80)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'not a slug')
    .optional(),
);

export const SearchQuery = z.object({
  q: z
    .string()
    .max(SEARCH_LIMITS.queryMaxLength, `use ${SEARCH_LIMITS.queryMaxLength} characters or fewer`)
    .default(''),
  series: slugFilter,
  speaker: slugFilter,
  year: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1970).max(2200).optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(SEARCH_LIMITS.maxPage).default(1)),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** What a hit was found in. */
export type SearchHitKind = 'title' | 'description' | 'transcript' | 'question';

/** A piece of a snippet: `mark` is true for the words that matched. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

export interface SearchHit {
  kind: SearchHitKind;
  event: {
    slug: string;
    title: string;
    startsAt: string;
    timeZone: string;
    series: { slug: string; title: string } | null;
  };
  /** Seconds into the recording (transcript cues and answered questions), else null. */
  at: number | null;
  /** `/events/<slug>` or `/events/<slug>?t=<seconds>`. */
  href: string;
  snippet: SnippetPart[];
  /** bm25 (lower is better); for ordering, not for display. */
  score: number;
}

export type SearchIndexState = 'building' | 'ready' | 'failed';

export interface SearchIndexStatus {
  state: SearchIndexState;
  /** Rows indexed (cues, questions, titles, descriptions) and events covered. */
  rows: number;
  events: number;
  /** When the last full build finished, and how long it took. */
  builtAt: string | null;
  buildMs: number | null;
  error?: string;
}

export interface SearchFacets {
  series: { slug: string; title: string }[];
  speakers: { slug: string; name: string }[];
  years: number[];
}

export interface SearchResponse {
  query: SearchQuery;
  /** Words of the query left out as too common to search on ("the", "and", …). */
  ignored: string[];
  /** `all`: every word matched in one place; `any`: nothing matched every word, so hits match some. */
  matched: 'all' | 'any' | 'none';
  hits: SearchHit[];
  /** Total hits (capped at `totalCapped`). */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
  facets: SearchFacets;
  index: SearchIndexStatus;
}

/** Markers the server puts around matched words; stripped from indexed text so nobody can forge them. */
export const SNIPPET_OPEN = '\u{E000}';
export const SNIPPET_CLOSE = '\u{E001}';

/** Splits a snippet with markers into parts; unbalanced markers are dropped. */
export function parseSnippet(raw: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let buf = '';
  const flush = () => {
    if (!buf) return;
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += buf;
    else parts.push({ text: buf, mark });
    buf = '';
  };
  for (const ch of raw) {
    if (ch === SNIPPET_OPEN || ch === SNIPPET_CLOSE) {
      flush();
      mark = ch === SNIPPET_OPEN;
    } else buf += ch;
  }
  flush();
  return parts;
}
