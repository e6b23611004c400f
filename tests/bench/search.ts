/**
 * Search at archive scale: 1,000 hours of generated transcript (one cue per 5 s ≈ 720,000 cues,
 * 1,000 one-hour events in 4 series with 40 speakers over 6 years) indexed with the same
 * SearchIndex the app uses. Reports the index build time, its size and the process's memory
 * growth, and p50/p95 of ranked, snippeted queries (one to three words, a quarter with a filter)
 * against the same queries on a 10-hour corpus built in the same run. A LIKE scan over the full
 * corpus, on a few of the queries, shows what the index saves.
 *
 * Text: a themed vocabulary plus generated words, drawn with a Zipf distribution, 12 words a cue.
 * The corpus goes straight into the index (no Redis): this measures the index, not the rebuild's
 * reads. `BENCH_SEARCH_HOURS` changes the size (default 1000).
 */
import { DatabaseSync } from 'node:sqlite';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { SearchIndex } from '../../server/src/archive/search/search-index.ts';
import { searchTerms, withoutStopWords } from '../../server/src/archive/search/query.ts';
import { metric } from './report.ts';
import type { BenchSuite } from './suite.ts';

const CUE_SECONDS = 5;
const WORDS_PER_CUE = 12;
const QUERIES = 300;

const THEMES =
  `school leadership teacher teachers learning learn ecosystem family families community student students radio network networks weak offline lesson lessons text message messages classroom principal practice practitioners research policy curriculum assessment equity inclusion girls boys parents village city district ministry budget funding training coaching mentoring feedback reading writing mathematics science language languages mother tongue bilingual refugee crisis resilience wellbeing health nutrition attendance dropout exam exams data evidence impact scale pilot program partnership foundation network doha accra nairobi paris beirut rabat kigali delhi morocco kenya lebanon india rwanda ghana question answer panel moderator speaker audience`.split(
    ' ',
  );
const FILLER =
  `the a and of to in we is that it for on with as this are was be at by our they from have not but what all were when there can more if one about so their would people how which them time some very just also into like think because really know going well way then those than other even need year years`.split(
    ' ',
  );

/** A deterministic generator (mulberry32), so runs compare. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(random: () => number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ra', 'te', 'su', 'no', 'vi', 'da', 'pe', 'zu', 'ho', 'ri', 'ba', 'ne', 'go'];
  const made = new Set<string>();
  while (made.size < 6_000) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    made.add(w);
  }
  // Frequent words first: filler, then the themes, then the long tail.
  return [...new Set([...FILLER, ...THEMES, ...made])];
}

/** Zipf(s≈1) sampler over ranks 0..n-1 by inverse CDF on a precomputed table. */
function zipf(n: number, random: () => number) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** 1.05;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Corpus {
  index: SearchIndex;
  cues: number;
  buildMs: number;
  /** A sample of cue texts to draw queries from. */
  sample: string[];
}

async function buildCorpus(hours: number, seed: number, plain?: DatabaseSync): Promise<Corpus> {
  const random = rng(seed);
  const words = vocabulary(random);
  const draw = zipf(words.length, random);
  const index = new SearchIndex();
  const insertPlain = plain?.prepare('INSERT INTO plain(text) VALUES (?)');
  const cuesPerEvent = 3600 / CUE_SECONDS;
  const sample: string[] = [];
  let cues = 0;
  const started = performance.now();
  for (let e = 0; e < hours; e++) {
    const id = `event-${e}`;
    const year = 2020 + (e % 6);
    const texts: string[] = [];
    for (let c = 0; c < cuesPerEvent; c++) {
      let text = '';
      for (let w = 0; w < WORDS_PER_CUE; w++) text += (w ? ' ' : '') + words[draw()]!;
      texts.push(text);
      if (random() < 0.001) sample.push(text);
    }
    index.transaction(() => {
      index.putEvent({
        id,
        slug: id,
        title: `Living Lab ${e}: ${words[50 + (e % 100)]} and ${words[60 + (e % 90)]}`,
        description: `A panel on ${words[40 + (e % 80)]}, ${words[70 + (e % 60)]} and ${words[30 + (e % 50)]}.`,
        startsAt: `${year}-0${1 + (e % 9)}-15T14:00:00Z`,
        timeZone: 'UTC',
        series: { slug: `series-${e % 4}`, title: `Series ${e % 4}` },
        speakers: [0, 1, 2].map((k) => ({ slug: `speaker-${(e * 3 + k) % 40}`, name: `Speaker ${(e * 3 + k) % 40}` })),
      });
      index.addPieces(
        id,
        texts.map((text, c) => ({ kind: 'transcript' as const, text, at: c * CUE_SECONDS })),
      );
      if (insertPlain) for (const text of texts) insertPlain.run(text);
    });
    cues += texts.length;
    // node:sqlite is synchronous: yield between events, as the app's rebuild does.
    await yieldToLoop();
  }
  return { index, cues, buildMs: performance.now() - started, sample };
}

/** Queries of 1–3 consecutive words of sampled cues, each with at least one word that is searched for. */
function queriesFrom(sample: string[], seed: number) {
  const random = rng(seed);
  const out: { q: string; filter: { series?: string; year?: number; speaker?: string } }[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const words = sample[Math.floor(random() * sample.length)]!.split(' ');
    const n = 1 + Math.floor(random() * 3);
    const start = Math.floor(random() * (words.length - n));
    const q = words.slice(start, start + n).join(' ');
    if (withoutStopWords(searchTerms(q)).kept.length === 0) {
      i--;
      continue;
    }
    const f = random();
    const filter =
      f < 0.08
        ? { series: `series-${i % 4}` }
        : f < 0.16
          ? { year: 2020 + (i % 6) }
          : f < 0.25
            ? { speaker: `speaker-${i % 40}` }
            : {};
    out.push({ q, filter });
  }
  return out;
}

function timeQueries(index: SearchIndex, queries: ReturnType<typeof queriesFrom>): number[] {
  // As SearchService.search does: stop words left out, then all words, else any.
  const times: number[] = [];
  for (const { q, filter } of queries) {
    const started = performance.now();
    const terms = withoutStopWords(searchTerms(q)).kept;
    if (terms.length === 0) continue; // only stop words: answered at once with nothing, not timed
    const all = index.search({ terms, mode: 'all', ...filter, limit: 10, offset: 0, countCap: 1000 });
    if (all.total === 0 && terms.length > 1)
      index.search({ terms, mode: 'any', ...filter, limit: 10, offset: 0, countCap: 1000 });
    index.facets();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const mb = (bytes: number) => bytes / (1024 * 1024);

export const searchSuite: BenchSuite = {
  key: 'search',
  label: 'search (node:sqlite FTS5)',
  async run(ctx) {
    const hours = Number(process.env.BENCH_SEARCH_HOURS ?? 1000);
    if (!Number.isInteger(hours) || hours < 10 || hours > 5000)
      throw new Error('BENCH_SEARCH_HOURS must be an integer from 10 to 5000');

    ctx.say('search: 10-hour baseline corpus');
    const tiny = await buildCorpus(10, 7);
    const queries = queriesFrom(
      tiny.sample.length > 20 ? tiny.sample : [...tiny.sample, 'school leadership teacher'],
      11,
    );

    const rssBefore = process.memoryUsage().rss;
    ctx.say(`search: building a ${hours}-hour corpus (${(hours * 3600) / CUE_SECONDS} cues); this takes a while`);
    const plain = new DatabaseSync(':memory:');
    plain.exec('CREATE TABLE plain(text TEXT NOT NULL)');
    const big = await buildCorpus(hours, 7, plain);
    const rssAfter = process.memoryUsage().rss;
    const size = big.index.sizeBytes();
    ctx.say(
      `search: ${big.cues.toLocaleString('en-US')} cues indexed in ${(big.buildMs / 1000).toFixed(1)} s; index ${mb(size).toFixed(0)} MB, RSS +${mb(rssAfter - rssBefore).toFixed(0)} MB (includes the LIKE table)`,
    );
    const bigQueries = queriesFrom(big.sample, 11);
    timeQueries(big.index, bigQueries.slice(0, 20)); // warm the page cache
    const fts = timeQueries(big.index, bigQueries);
    const base = timeQueries(tiny.index, queries);

    // LIKE: what a table scan costs for the same need (every match counted), on 10 queries.
    const like = plain.prepare('SELECT count(*) AS n FROM plain WHERE text LIKE ?');
    const likeTimes: number[] = [];
    const firstWords = bigQueries.slice(0, 10).map((x) => withoutStopWords(searchTerms(x.q)).kept[0]!);
    for (const word of firstWords) {
      const started = performance.now();
      like.get(`%${word}%`);
      likeTimes.push(performance.now() - started);
    }
    likeTimes.sort((a, b) => a - b);
    const ftsFirstWord = timeQueries(
      big.index,
      firstWords.map((q) => ({ q, filter: {} })),
    );
    const tinySize = tiny.index.sizeBytes();
    plain.close();
    big.index.close();
    tiny.index.close();

    ctx.notes.push(
      `search: ${hours} h of generated transcript = ${big.cues.toLocaleString('en-US')} cues in ${hours} events; ${QUERIES} queries of 1–3 words (a quarter filtered; stop words left out as the app does), top 10 with snippets + facets; baseline: the same queries on a 10-hour corpus (${tiny.cues.toLocaleString('en-US')} cues)`,
    );
    return [
      metric({
        name: 'search.1000h.p50',
        value: pct(fts, 0.5),
        unit: 'ms',
        baseline: pct(base, 0.5),
        better: 'lower',
        label: `search over ${hours} h, median`,
      }),
      metric({
        name: 'search.1000h.p95',
        value: pct(fts, 0.95),
        unit: 'ms',
        baseline: pct(base, 0.95),
        better: 'lower',
        label: `search over ${hours} h, p95`,
      }),
      metric({
        name: 'search.1000h.like-scan.p50',
        value: pct(likeTimes, 0.5),
        unit: 'ms',
        baseline: pct(ftsFirstWord, 0.5),
        better: 'lower',
        label: 'LIKE scan of the same corpus (one word), median, vs FTS5 on that word',
      }),
      metric({
        name: 'search.1000h.build',
        value: big.buildMs / 1000,
        unit: 's',
        baseline: tiny.buildMs / 1000,
        better: 'lower',
        label: `index build, ${hours} h (baseline: 10 h)`,
      }),
      metric({
        name: 'search.1000h.index-size',
        value: mb(size),
        unit: 'MB',
        baseline: mb(tinySize),
        better: 'lower',
        label: `index size in memory (baseline: 10 h)`,
      }),
      metric({
        name: 'search.1000h.rss-growth',
        value: mb(rssAfter - rssBefore),
        unit: 'MB',
        baseline: mb(size),
        better: 'lower',
        label: 'process RSS growth while building (baseline: index size)',
      }),
    ];
  },
};
