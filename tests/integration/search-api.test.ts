/**
 * Search over past events: titles, descriptions, transcript cues and answered questions, ranked
 * with bm25, highlighted snippets as parts, links to the moment, filters by series, speaker and
 * year; what people type is never read as FTS5 syntax; the index is rebuilt from Redis at start
 * and follows transcript changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '@colloquy/shared';
import { SearchService } from '../../server/src/archive/search/search.ts';
import { matchExpression, searchTerms } from '../../server/src/archive/search/query.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, personWith } from '../support/people.ts';

let t: TestApp;
const ids: Record<string, string> = {};

async function search(query: string): Promise<SearchResponse> {
  const res = await api(t, 'get', `/api/search?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as SearchResponse;
}
const q = (text: string, extra = '') => search(`q=${encodeURIComponent(text)}${extra}`);
const snippetText = (h: SearchResponse['hits'][number]) => h.snippet.map((p) => p.text).join('');
const marked = (h: SearchResponse['hits'][number]) => h.snippet.filter((p) => p.mark).map((p) => p.text);

beforeAll(async () => {
  t = await startTestApp();
  const store = t.app.catalogue.store;
  const lab = await store.putSeries({ slug: 'living-lab', title: 'Living Lab', description: '' }, 'organizer');
  const talks = await store.putSeries({ slug: 'leader-talks', title: 'Leader Talks', description: '' }, 'organizer');
  const speaker = (slug: string, name: string) =>
    store.putSpeaker({ slug, name, title: '', organization: '', country: 'KE', bio: '', photoUrl: null }, 'organizer');
  const amina = await speaker('amina-diallo', 'Amina Diallo');
  const tomas = await speaker('tomas-reyes', 'Tomás Reyes');
  const event = async (
    slug: string,
    title: string,
    description: string,
    year: number,
    seriesId: string,
    speakerIds: string[],
    status: 'ended' | 'live' = 'ended',
  ) => {
    const e = await store.putEvent(
      {
        slug,
        title,
        description,
        startsAt: `${year}-03-10T14:00:00Z`,
        endsAt: `${year}-03-10T15:30:00Z`,
        timeZone: 'Africa/Nairobi',
        status,
        seriesId,
        speakerIds,
        location: 'Online',
      },
      'organizer',
    );
    ids[slug] = e.id;
    return e;
  };
  await event(
    'ecosystems',
    'Build a Learning Ecosystem',
    'How **schools** and families learn together.',
    2024,
    lab.id,
    [amina.id],
  );
  await event('weak-networks', 'Learning on Weak Networks', 'Radio, text messages and offline lessons.', 2025, lab.id, [
    tomas.id,
  ]);
  await event(
    'leaders',
    'Leaders who Listen',
    'A conversation about school leadership and how leaders learn.',
    2025,
    talks.id,
    [amina.id, tomas.id],
  );
  await event('still-live', 'Live Ecosystem Panel', 'Not over yet: ecosystem talk.', 2025, lab.id, [amina.id], 'live');
  await t.app.search.ready();
  // Transcripts go through the transcripts module, which refreshes the index.
  await t.app.transcripts.replace(
    ids.ecosystems!,
    [
      { start: 1.2, end: 4, text: 'Welcome to the Living Lab.' },
      { start: 754.6, end: 760, text: 'A learning ecosystem connects families, schools and the wider community.' },
      { start: 800, end: 805, text: 'This is not an ecosystem of families alone.' },
      { start: 900, end: 905, text: 'Teachers learn from each other every week.' },
    ],
    { source: 'upload-vtt' },
  );
  await t.app.transcripts.replace(
    ids['weak-networks']!,
    [
      { start: 30, end: 35, text: 'When the network is weak students still learn with radio.' },
      { start: 95.9, end: 99, text: 'We teach with text messages and radio lessons.' },
    ],
    { source: 'pocketsphinx' },
  );
  await t.app.transcripts.replace(
    ids['still-live']!,
    [{ start: 5, end: 8, text: 'A secret live ecosystem phrase zebra.' }],
    {
      source: 'pocketsphinx',
    },
  );
  await t.app.search.indexQuestions(ids.leaders!, [
    {
      id: 'q1',
      text: 'How do school leaders find time to listen to teachers?',
      answer: 'They block an hour each week.',
      at: 1234.5,
    },
    { id: 'q2', text: 'An unanswered-on-video question about budgets', at: null },
  ]);
}, 60_000);
afterAll(() => t.close());

describe('GET /api/search', () => {
  it('ranks a title above a passing mention and highlights the matched words', async () => {
    const r = await q('ecosystem');
    expect(r.matched).toBe('all');
    expect(r.hits[0]).toMatchObject({ kind: 'title', at: null, href: '/events/ecosystems' });
    expect(r.hits[0]!.event).toMatchObject({
      slug: 'ecosystems',
      title: 'Build a Learning Ecosystem',
      series: { slug: 'living-lab', title: 'Living Lab' },
    });
    const cue = r.hits.find((h) => h.kind === 'transcript' && h.at === 754)!;
    expect(cue.href).toBe('/events/ecosystems?t=754');
    expect(marked(cue)).toEqual(['ecosystem']);
    expect(snippetText(cue)).toBe('A learning ecosystem connects families, schools and the wider community.');
    // Live events are not searchable, even their transcripts.
    expect(r.hits.some((h) => h.event.slug === 'still-live')).toBe(false);
    expect((await q('zebra')).hits).toEqual([]);
    expect(r.total).toBe(r.hits.length);
  });

  it('matches word forms (porter stemming) and folds accents', async () => {
    const r = await q('teachers learning');
    const hit = r.hits.find((h) => h.at === 900)!;
    expect(marked(hit)).toEqual(['Teachers', 'learn']);
    const tomas = await q('tomas', '');
    expect(tomas.hits.map((h) => [h.kind, snippetText(h)])).toEqual([]); // names are filter fields, not text
    // Accents are folded (unicode61 remove_diacritics) before stemming.
    const accents = await q('Écosystème');
    expect(accents.hits[0]).toMatchObject({ kind: 'title', href: '/events/ecosystems' });
    expect((await q('ECOSYSTEMS')).hits[0]!.kind).toBe('title');
  });

  it('finds answered questions with the moment they were answered', async () => {
    const r = await q('leaders listen teachers');
    const question = r.hits.find((h) => h.kind === 'question')!;
    expect(question.href).toBe('/events/leaders?t=1234');
    expect(question.at).toBe(1234);
    const unanswered = (await q('budgets')).hits[0]!;
    expect(unanswered).toMatchObject({ kind: 'question', at: null, href: '/events/leaders' });
  });

  it('falls back to any word when no one place has them all', async () => {
    const r = await q('radio leadership');
    expect(r.matched).toBe('any');
    expect(new Set(r.hits.map((h) => h.event.slug))).toEqual(new Set(['weak-networks', 'leaders']));
  });

  it('filters by series, speaker and year, and lists what can be filtered', async () => {
    const all = await q('learn');
    expect(new Set(all.hits.map((h) => h.event.slug))).toEqual(new Set(['ecosystems', 'weak-networks', 'leaders']));
    const bySeries = await q('learn', '&series=leader-talks');
    expect(new Set(bySeries.hits.map((h) => h.event.slug))).toEqual(new Set(['leaders']));
    const bySpeaker = await q('learn', '&speaker=tomas-reyes');
    expect(new Set(bySpeaker.hits.map((h) => h.event.slug))).toEqual(new Set(['weak-networks', 'leaders']));
    const byYear = await q('learn', '&year=2024');
    expect(new Set(byYear.hits.map((h) => h.event.slug))).toEqual(new Set(['ecosystems']));
    const none = await q('learn', '&year=2024&speaker=tomas-reyes');
    expect(none.hits).toEqual([]);
    expect(none.matched).toBe('none');
    expect(all.facets).toEqual({
      series: [
        { slug: 'leader-talks', title: 'Leader Talks' },
        { slug: 'living-lab', title: 'Living Lab' },
      ],
      speakers: [
        { slug: 'amina-diallo', name: 'Amina Diallo' },
        { slug: 'tomas-reyes', name: 'Tomás Reyes' },
      ],
      years: [2025, 2024],
    });
  });

  it('pages through results', async () => {
    const first = await q('learn');
    expect(first.pageSize).toBe(10);
    const second = await q('learn', '&page=2');
    expect(second.page).toBe(2);
    expect(second.hits).toEqual([]);
    expect(second.total).toBe(first.total);
  });

  it('reads FTS5 operators as plain words', async () => {
    // With NOT as an operator this would exclude the cue; as a word it is exactly what matches.
    const not = await q('ecosystem NOT families');
    expect(not.matched).toBe('all');
    expect(not.hits.map((h) => h.at)).toEqual([800]);
    // A prefix star is not a wildcard: "teach*" is the word "teach", not "teachers".
    const star = await q('teach*');
    expect(star.hits.map((h) => h.at)).toEqual([95]);
    for (const text of [
      'NEAR(school leadership, 5)',
      'school OR',
      '"unbalanced quote',
      '^school',
      'text:school',
      '(((',
      '*',
      'school AND ) OR (',
      "'; DROP TABLE fts; --",
      '- + : ^ " * ( )',
      'ecosystem\u{E000}forged\u{E001}',
    ]) {
      const res = await api(t, 'get', `/api/search?q=${encodeURIComponent(text)}`);
      expect([text, res.status]).toEqual([text, 200]);
      const body = (await res.json()) as SearchResponse;
      for (const h of body.hits) for (const p of h.snippet) expect(p.text).not.toMatch(/[\u{E000}\u{E001}]/u);
    }
    expect(matchExpression(searchTerms('a "b" NEAR(c) *'), 'all')).toBe('"a" """b""" "NEAR(c)"');
    // Very common words are left out when others remain, and said so; alone they find nothing.
    const common = await q('the radio and');
    expect(common.ignored).toEqual(['the', 'and']);
    expect(common.hits.length).toBeGreaterThan(0);
    const onlyCommon = await q('the and of');
    expect(onlyCommon).toMatchObject({ ignored: ['the', 'and', 'of'], hits: [], matched: 'none' });
  });

  it('refuses a query over 200 characters and other bad parameters with typed errors', async () => {
    for (const query of [
      `q=${'a'.repeat(201)}`,
      `q=${'word '.repeat(2000)}`,
      'q=x&year=abc',
      'q=x&year=1800',
      'q=x&page=0',
      'q=x&page=51',
      'q=x&series=Not_A_Slug',
      'q=a&q=b',
    ]) {
      const res = await api(t, 'get', `/api/search?${query}`);
      expect([query.slice(0, 20), res.status]).toEqual([query.slice(0, 20), 400]);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
    expect((await q('a'.repeat(200))).hits).toEqual([]);
  });

  it('answers an empty query with no hits but the filters and the index state', async () => {
    const r = await search('');
    expect(r.hits).toEqual([]);
    expect(r.matched).toBe('none');
    expect(r.facets.years).toEqual([2025, 2024]);
    expect(r.index.state).toBe('ready');
    const status = await (await api(t, 'get', '/api/search/status')).json();
    expect(status).toMatchObject({ state: 'ready', events: 3 });
    expect(status.rows).toBeGreaterThan(10);
  });
});

describe('keeping the index current', () => {
  it('follows an uploaded transcript and a corrected cue', async () => {
    const organizer = await personWith(t, 'organizer', ids.ecosystems!);
    expect((await q('giraffe')).hits).toEqual([]);
    const res = await fetch(`${t.url}/api/events/weak-networks/transcript`, {
      method: 'PUT',
      headers: { 'content-type': 'text/vtt', cookie: organizer.cookie },
      body: 'WEBVTT\n\n00:01:05.000 --> 00:01:08.000\nA giraffe walked into the classroom.\n',
    });
    expect(res.status).toBe(200);
    expect((await q('giraffe')).hits.map((h) => h.href)).toEqual(['/events/weak-networks?t=65']);
    expect((await q('radio')).hits.every((h) => h.kind !== 'transcript')).toBe(true); // old cues gone
    const edit = await api(t, 'patch', '/api/events/weak-networks/transcript/cues/c1', {
      cookie: organizer.cookie,
      body: { text: 'An elephant walked into the classroom.' },
    });
    expect(edit.status).toBe(200);
    expect((await q('giraffe')).hits).toEqual([]);
    expect((await q('elephant')).hits.map((h) => h.at)).toEqual([65]);
  });

  it('is rebuilt from Redis alone (catalogue, transcripts and stored questions)', async () => {
    const fresh = new SearchService({
      redis: t.redis,
      catalogue: t.app.catalogue.store,
      transcripts: t.app.transcripts,
    });
    expect(() => fresh.search({ q: 'x', page: 1 })).toThrow(/being built/);
    expect(fresh.status().state).toBe('building');
    await fresh.rebuild();
    try {
      expect(fresh.status()).toMatchObject({ state: 'ready', events: 3, rows: t.app.search.status().rows });
      const a = fresh.search({ q: 'listen teachers', page: 1 });
      const b = t.app.search.search({ q: 'listen teachers', page: 1 });
      expect(a.hits.map((h) => [h.href, h.kind])).toEqual(b.hits.map((h) => [h.href, h.kind]));
      expect(a.hits.some((h) => h.kind === 'question')).toBe(true);
    } finally {
      fresh.close();
    }
  });

  it('drops an event that is no longer ended, on refresh', async () => {
    const store = t.app.catalogue.store;
    const e = (await store.events.get(ids.leaders!))!;
    await store.putEvent({ ...e, status: 'live' }, 'organizer', e);
    await t.app.search.refreshEvent(e.id);
    expect((await q('budgets')).hits).toEqual([]);
    const back = (await store.events.get(ids.leaders!))!;
    await store.putEvent({ ...back, status: 'ended' }, 'organizer', back);
    await t.app.search.refreshEvent(e.id);
    expect((await q('budgets')).hits).toHaveLength(1);
  });
});
