import type { SearchResponse } from '@colloquy/shared';
import { callApi } from '#lib/forms/api.ts';
import type { PageServerLoad } from './$types';

const PARAMS = ['q', 'series', 'speaker', 'year', 'page'] as const;

/** The search page: the form's values go to `GET /api/search` as they are; the API validates them. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const params = new URLSearchParams();
  const values: Record<(typeof PARAMS)[number], string> = { q: '', series: '', speaker: '', year: '', page: '' };
  for (const name of PARAMS) {
    const v = url.searchParams.get(name);
    if (v) {
      values[name] = v.slice(0, 10_000);
      params.set(name, values[name]);
    }
  }
  const result = await callApi<SearchResponse>(fetch, 'GET', `/api/search?${params}`);
  if (result.ok) return { values, result: result.data, problem: null };
  const problem =
    result.status === 503
      ? 'The search index is being built. Please try again in a moment.'
      : result.error.code === 'validation_failed'
        ? `${result.error.issues?.[0]?.path.join('.') === 'q' ? 'Use 200 characters or fewer.' : 'One of the filters is not valid; clear it and search again.'}`
        : 'Search is not available right now. Please try again in a moment.';
  return { values, result: null, problem };
};
