import { EventListQuery, Slug } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import { eventIcs } from './calendar.ts';
import type { CatalogueService } from './service.ts';

/** A path segment that is not a valid slug cannot name a record: answer 404, not 400. */
function slugParam(value: unknown, what: string): string {
  const parsed = Slug.safeParse(value);
  if (!parsed.success) throw new AppError('not_found', `No ${what} with that address`);
  return parsed.data;
}

/** Public catalogue API: `/api/events`, `/api/series`, `/api/speakers`. */
export function catalogueApi(r: GuardedRouter, service: CatalogueService): void {
  r.route('get', '/events', 'catalogue:read', async (req, res) => {
    const q = parseOrThrow(EventListQuery, req.query, 'query');
    res.json(await service.listEvents(q.status, q.page));
  });
  r.route('get', '/events/:slug', 'catalogue:read', async (req, res) => {
    const event = await service.getEvent(slugParam(req.params.slug, 'event'));
    if (!event) throw new AppError('not_found', 'No event with that address');
    res.json(event);
  });
  r.route('get', '/series', 'catalogue:read', async (_req, res) => {
    res.json({ items: await service.listSeries() });
  });
  r.route('get', '/series/:slug', 'catalogue:read', async (req, res) => {
    const series = await service.getSeries(slugParam(req.params.slug, 'series'));
    if (!series) throw new AppError('not_found', 'No series with that address');
    res.json(series);
  });
  r.route('get', '/speakers/:slug', 'catalogue:read', async (req, res) => {
    const speaker = await service.getSpeaker(slugParam(req.params.slug, 'speaker'));
    if (!speaker) throw new AppError('not_found', 'No speaker with that address');
    res.json(speaker);
  });
}

/** `/events/:slug/calendar.ics`: the "Add to calendar" download. */
export function calendarRoute(r: GuardedRouter, service: CatalogueService, publicUrl: string): void {
  r.route('get', '/events/:slug/calendar.ics', 'catalogue:read', async (req, res) => {
    const slug = Slug.safeParse(req.params.slug);
    const event = slug.success ? await service.getEventRecord(slug.data) : null;
    if (!event) {
      res.status(404).type('text/plain').send('No event with that address.\n');
      return;
    }
    res.type('text/calendar; charset=utf-8').attachment(`${event.slug}.ics`).send(eventIcs(event, publicUrl));
  });
}
