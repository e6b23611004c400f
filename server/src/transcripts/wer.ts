/**
 * Word error rate: the word-level Levenshtein distance between what was said (reference) and what
 * was recognised (hypothesis), over the number of reference words. Case and punctuation are ignored.
 */

/** Lower-case words, punctuation removed (apostrophes inside words kept). */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9'\s-]/g, ' ')
    .replace(/(^|\s)['-]+|['-]+(\s|$)/g, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export interface WerResult {
  /** (substitutions + deletions + insertions) / reference words; 0 when both are empty. */
  wer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
}

export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  const n = ref.length;
  const m = hyp.length;
  // dist[i][j]: edits turning ref[0..i) into hyp[0..j); ops tracks the last step for counting.
  const dist: number[][] = Array.from({ length: n + 1 }, (_, i) => {
    const row = new Array<number>(m + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= m; j++) dist[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = ref[i - 1] === hyp[j - 1] ? 0 : 1;
      dist[i]![j] = Math.min(dist[i - 1]![j - 1]! + same, dist[i - 1]![j]! + 1, dist[i]![j - 1]! + 1);
    }
  }
  let i = n;
  let j = m;
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && dist[i]![j] === dist[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      if (ref[i - 1] !== hyp[j - 1]) substitutions++;
      i--;
      j--;
    } else if (i > 0 && dist[i]![j] === dist[i - 1]![j]! + 1) {
      deletions++;
      i--;
    } else {
      insertions++;
      j--;
    }
  }
  const edits = substitutions + deletions + insertions;
  return { wer: n === 0 ? (m === 0 ? 0 : 1) : edits / n, substitutions, deletions, insertions, referenceWords: n };
}
