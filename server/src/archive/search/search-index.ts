/**
 * The full-text index: Node's built-in node:sqlite with FTS5 (porter stemming over unicode61,
 * diacritics folded), bm25 ranking and snippet() highlighting. It holds one row per indexed piece
 * — an event's title, its description, each transcript cue (with its start time), each answered
 * question (with the moment it was answered) — and a small table of events with the fields the
 * filters use (series, speakers, year). It is derived data: SearchService rebuilds it from Redis.
 *
 * Everything here is synchronous (node:sqlite is); callers yield between batches.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  SNIPPET_CLOSE,
  SNIPPET_OPEN,
  parseSnippet,
  type SearchFacets,
  type SearchHit,
  type SearchHitKind,
} from '@colloquy/shared';
import { matchExpression } from './query.ts';

export interface IndexedEvent {
  id: string;
  slug: string;
  title: string;
  /** Plain text. */
  description: string;
  startsAt: string;
  timeZone: string;
  series: { slug: string; title: string } | null;
  speakers: { slug: string; name: string }[];
}

/** A piece of an event's text with the moment it belongs to (seconds into the recording). */
export interface IndexedPiece {
  kind: Extract<SearchHitKind, 'transcript' | 'question'>;
  text: string;
  at: number | null;
}

export interface IndexQuery {
  terms: string[];
  mode: 'all' | 'any';
  series?: string | undefined;
  speaker?: string | undefined;
  year?: number | undefined;
  limit: number;
  offset: number;
  /** Count at most this many hits. */
  countCap: number;
}

/** Titles count most, then answered questions, then descriptions and what was said. */
const WEIGHT = `CASE m.kind WHEN 'title' THEN 4.0 WHEN 'question' THEN 1.6 WHEN 'description' THEN 1.2 ELSE 1.0 END`;

const MARKERS = new RegExp(`[${SNIPPET_OPEN}${SNIPPET_CLOSE}]`, 'gu');
const clean = (text: string) => text.replace(MARKERS, '').replace(/\s+/g, ' ').trim();

/** The year of `iso` in `zone` (the year people saw on the event). */
export function yearIn(iso: string, zone: string): number {
  try {
    return Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric' }).format(new Date(iso)));
  } catch {
    return new Date(iso).getUTCFullYear();
  }
}

export class SearchIndex {
  readonly db: DatabaseSync;
  private readonly insertPiece: { run(text: string, kind: string, ev: number, at: number | null): void };
  private readonly insertEvent: StatementSync;
  private readonly insertSpeaker: StatementSync;
  private readonly eventRow: StatementSync;

  /** `path` ':memory:' (the default) or a file (replaced). */
  constructor(path = ':memory:') {
    this.db = new DatabaseSync(path);
    this.db.exec(`
      PRAGMA journal_mode = OFF;
      PRAGMA synchronous = OFF;
      DROP TABLE IF EXISTS fts;
      DROP TABLE IF EXISTS events;
      DROP TABLE IF EXISTS speakers;
      DROP TABLE IF EXISTS meta;
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        year INTEGER NOT NULL,
        series_slug TEXT,
        series_title TEXT
      );
      CREATE INDEX events_series ON events(series_slug);
      CREATE INDEX events_year ON events(year);
      CREATE TABLE speakers (ev INTEGER NOT NULL, slug TEXT NOT NULL, name TEXT NOT NULL);
      CREATE INDEX speakers_slug ON speakers(slug, ev);
      CREATE INDEX speakers_ev ON speakers(ev);
      CREATE VIRTUAL TABLE fts USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
      -- What each fts row is, in a narrow table of its own: reading these from the fts content
      -- record for every match (to weight by kind) cost more than the bm25 ranking itself.
      CREATE TABLE meta (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ev INTEGER NOT NULL, at REAL);
      CREATE INDEX meta_ev ON meta(ev, kind);
    `);
    const text = this.db.prepare('INSERT INTO fts(text) VALUES (?)');
    const meta = this.db.prepare('INSERT INTO meta(id, kind, ev, at) VALUES (?, ?, ?, ?)');
    this.insertPiece = {
      run: (t: string, kind: string, ev: number, at: number | null) => {
        const id = text.run(t).lastInsertRowid;
        meta.run(id, kind, ev, at);
      },
    };
    this.insertEvent = this.db.prepare(
      `INSERT INTO events(event_id, slug, title, starts_at, time_zone, year, series_slug, series_title)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertSpeaker = this.db.prepare('INSERT INTO speakers(ev, slug, name) VALUES (?, ?, ?)');
    this.eventRow = this.db.prepare('SELECT id FROM events WHERE event_id = ?');
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** Runs `fn` in one transaction (much faster for many inserts). */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN');
    try {
      const r = fn();
      this.db.exec('COMMIT');
      return r;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Adds an event (title and description rows, filter fields); returns its row id. Replaces it if present. */
  putEvent(e: IndexedEvent): number {
    this.removeEvent(e.id);
    const r = this.insertEvent.run(
      e.id,
      e.slug,
      e.title,
      e.startsAt,
      e.timeZone,
      yearIn(e.startsAt, e.timeZone),
      e.series?.slug ?? null,
      e.series?.title ?? null,
    );
    const ev = Number(r.lastInsertRowid);
    for (const s of e.speakers) this.insertSpeaker.run(ev, s.slug, s.name);
    this.insertPiece.run(clean(e.title), 'title', ev, null);
    const description = clean(e.description);
    if (description) this.insertPiece.run(description, 'description', ev, null);
    return ev;
  }

  /** Adds pieces (cues, questions) to an event already put. */
  addPieces(eventId: string, pieces: readonly IndexedPiece[]): number {
    const row = this.eventRow.get(eventId) as { id: number } | undefined;
    if (!row) return 0;
    let n = 0;
    for (const p of pieces) {
      const text = clean(p.text);
      if (!text) continue;
      this.insertPiece.run(text, p.kind, row.id, p.at === null ? null : Math.max(0, p.at));
      n++;
    }
    return n;
  }

  /** Removes an event's pieces of one kind (e.g. its transcript before re-adding it). */
  removePieces(eventId: string, kind: IndexedPiece['kind']): void {
    const row = this.eventRow.get(eventId) as { id: number } | undefined;
    if (!row) return;
    this.db.prepare('DELETE FROM fts WHERE rowid IN (SELECT id FROM meta WHERE ev = ? AND kind = ?)').run(row.id, kind);
    this.db.prepare('DELETE FROM meta WHERE ev = ? AND kind = ?').run(row.id, kind);
  }

  removeEvent(eventId: string): void {
    const row = this.eventRow.get(eventId) as { id: number } | undefined;
    if (!row) return;
    this.db.prepare('DELETE FROM fts WHERE rowid IN (SELECT id FROM meta WHERE ev = ?)').run(row.id);
    this.db.prepare('DELETE FROM meta WHERE ev = ?').run(row.id);
    this.db.prepare('DELETE FROM speakers WHERE ev = ?').run(row.id);
    this.db.prepare('DELETE FROM events WHERE id = ?').run(row.id);
  }

  hasEvent(eventId: string): boolean {
    return this.eventRow.get(eventId) !== undefined;
  }

  counts(): { rows: number; events: number } {
    const rows = (this.db.prepare('SELECT count(*) AS n FROM fts').get() as { n: number }).n;
    const events = (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { rows, events };
  }

  /** Bytes the database takes (pages × page size). */
  sizeBytes(): number {
    const pages = (this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const size = (this.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    return pages * size;
  }

  facets(): SearchFacets {
    const series = this.db
      .prepare(
        'SELECT DISTINCT series_slug AS slug, series_title AS title FROM events WHERE series_slug IS NOT NULL ORDER BY title',
      )
      .all() as { slug: string; title: string }[];
    const speakers = this.db
      .prepare('SELECT slug, min(name) AS name FROM speakers GROUP BY slug ORDER BY name')
      .all() as { slug: string; name: string }[];
    const years = (
      this.db.prepare('SELECT DISTINCT year FROM events ORDER BY year DESC').all() as { year: number }[]
    ).map((r) => r.year);
    return { series: series.map((s) => ({ ...s })), speakers: speakers.map((s) => ({ ...s })), years };
  }

  private where(q: IndexQuery): { sql: string; params: (string | number)[] } {
    const parts = ['fts MATCH ?'];
    const params: (string | number)[] = [matchExpression(q.terms, q.mode)];
    if (q.series) {
      parts.push('e.series_slug = ?');
      params.push(q.series);
    }
    if (q.year !== undefined) {
      parts.push('e.year = ?');
      params.push(q.year);
    }
    if (q.speaker) {
      parts.push('EXISTS (SELECT 1 FROM speakers s WHERE s.ev = e.id AND s.slug = ?)');
      params.push(q.speaker);
    }
    return { sql: parts.join(' AND '), params };
  }

  /** Ranked hits (best first) and how many there are (up to `countCap`). */
  search(q: IndexQuery): { hits: SearchHit[]; total: number; totalCapped: boolean } {
    if (q.terms.length === 0) return { hits: [], total: 0, totalCapped: false };
    const { sql, params } = this.where(q);
    // Rank first (rowid and score only), then make snippets for the page of hits alone: snippet()
    // in the ranking query would run for every match before the sort.
    const top = this.db
      .prepare(
        `SELECT f.rowid AS rid, bm25(fts) * ${WEIGHT} AS score, m.kind AS kind, m.at AS at,
                e.slug AS slug, e.title AS title, e.starts_at AS startsAt, e.time_zone AS timeZone,
                e.series_slug AS seriesSlug, e.series_title AS seriesTitle
         FROM fts f JOIN meta m ON m.id = f.rowid JOIN events e ON e.id = m.ev
         WHERE ${sql}
         ORDER BY score, m.at
         LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit, q.offset) as {
      rid: number;
      kind: SearchHitKind;
      at: number | null;
      score: number;
      slug: string;
      title: string;
      startsAt: string;
      timeZone: string;
      seriesSlug: string | null;
      seriesTitle: string | null;
    }[];
    // CAST: node:sqlite binds JS numbers as REAL, and FTS5 then ignores the rowid constraint.
    const snippetOf = this.db.prepare(
      `SELECT snippet(fts, 0, ?, ?, '…', 14) AS s FROM fts WHERE fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
    );
    const rows = top.map((r) => ({
      ...r,
      snippet: (snippetOf.get(SNIPPET_OPEN, SNIPPET_CLOSE, params[0]!, r.rid) as { s: string } | undefined)?.s ?? '',
    }));
    const counted = this.db
      .prepare(
        `SELECT count(*) AS n FROM (SELECT 1 FROM fts f JOIN meta m ON m.id = f.rowid JOIN events e ON e.id = m.ev WHERE ${sql} LIMIT ?)`,
      )
      .get(...params, q.countCap + 1) as { n: number };
    const hits: SearchHit[] = rows.map((r) => {
      const at = r.at === null ? null : Math.floor(r.at);
      return {
        kind: r.kind,
        event: {
          slug: r.slug,
          title: r.title,
          startsAt: r.startsAt,
          timeZone: r.timeZone,
          series: r.seriesSlug ? { slug: r.seriesSlug, title: r.seriesTitle ?? r.seriesSlug } : null,
        },
        at,
        href: at === null ? `/events/${r.slug}` : `/events/${r.slug}?t=${at}`,
        snippet: parseSnippet(r.snippet),
        score: r.score,
      };
    });
    return { hits, total: Math.min(counted.n, q.countCap), totalCapped: counted.n > q.countCap };
  }
}
