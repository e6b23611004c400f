import type { Series } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { firstParagraphText } from '#lib/html.ts';
import type { PageServerLoad } from './$types';

type SeriesItem = Series & { eventCount: number };

export const load: PageServerLoad = async ({ fetch }) => {
  const { items } = await apiGet<{ items: SeriesItem[] }>(fetch, '/api/series');
  return {
    series: items.map((s) => ({
      slug: s.slug,
      title: s.title,
      eventCount: s.eventCount,
      excerpt: firstParagraphText(s.descriptionHtml),
    })),
  };
};
