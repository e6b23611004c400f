import type { SeriesDetail } from '@colloquy/shared';
import { apiGet } from '#lib/api.ts';
import { splitEvents } from '#lib/events.ts';
import { firstParagraphText } from '#lib/html.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params }) => {
  const series = await apiGet<SeriesDetail>(
    fetch,
    `/api/series/${encodeURIComponent(params.slug)}`,
    'We could not find that series.',
  );
  const { events, ...rest } = series;
  return { series: rest, excerpt: firstParagraphText(rest.descriptionHtml), ...splitEvents(events, Date.now()) };
};
