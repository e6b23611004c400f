import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ical, { type VEvent } from 'node-ical';
import type { EventDetail, EventSummary, Page } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
const get = (path: string) => fetch(t.url + path);
const json = async <T>(path: string, status = 200): Promise<T> => {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  return (await res.json()) as T;
};

beforeAll(async () => {
  t = await startTestApp({ demo: true });
});
afterAll(() => t.close());

describe('GET /api/events', () => {
  it('lists the three Living Lab panels among past events with their seed dates, newest first', async () => {
    const page = await json<Page<EventSummary>>('/api/events?status=past');
    const lab = page.items.filter((e) => e.series?.slug === 'living-lab');
    expect(lab.map((e) => e.startsAt.slice(0, 10))).toEqual(['2021-04-27', '2021-02-16', '2020-12-10']);
    const panel3 = lab[0]!;
    expect(panel3.title).toContain('Panel #3');
    expect(panel3.startsAt).toBe('2021-04-27T11:00:00Z');
    expect(panel3.timeZone).toBe('Asia/Qatar');
    expect(panel3.speakers).toHaveLength(4);
    const starts = page.items.map((e) => Date.parse(e.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('includes the network working sessions (New York, Paris) as past events', async () => {
    const page = await json<Page<EventSummary>>('/api/events?status=past');
    const ny = page.items.find((e) => e.slug === 'all-in-new-york-2018')!;
    expect(ny.startsAt.slice(0, 10)).toBe('2018-09-22');
    expect(page.items.find((e) => e.slug === 'all-in-paris-2019')?.startsAt.slice(0, 10)).toBe('2019-02-20');
  });

  it('lists upcoming events soonest first, all in the future', async () => {
    const page = await json<Page<EventSummary>>('/api/events?status=upcoming');
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    const starts = page.items.map((e) => Date.parse(e.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const s of starts) expect(s).toBeGreaterThan(Date.now());
  });

  it('defaults to upcoming and has no live events in the demo', async () => {
    expect((await json<Page<EventSummary>>('/api/events')).items.length).toBeGreaterThanOrEqual(2);
    expect((await json<Page<EventSummary>>('/api/events?status=live')).total).toBe(0);
  });

  it('paginates twelve to a page', async () => {
    const { store } = t.app.catalogue;
    for (let i = 0; i < 14; i++) {
      await store.putEvent(
        {
          slug: `extra-${i}`,
          title: `Extra ${i}`,
          description: '',
          startsAt: new Date(Date.UTC(2015, 0, i + 1, 10)).toISOString(),
          endsAt: new Date(Date.UTC(2015, 0, i + 1, 11)).toISOString(),
          timeZone: 'UTC',
          status: 'ended',
          seriesId: null,
          speakerIds: [],
          location: 'Online',
        },
        'organizer',
      );
    }
    const first = await json<Page<EventSummary>>('/api/events?status=past&page=1');
    const second = await json<Page<EventSummary>>('/api/events?status=past&page=2');
    expect(first.pageSize).toBe(12);
    expect(first.items).toHaveLength(12);
    expect(first.total).toBe(second.total);
    expect(first.totalPages).toBe(Math.ceil(first.total / 12));
    expect(second.items.map((e) => e.id)).not.toContain(first.items[0]!.id);
    const beyond = await json<Page<EventSummary>>(`/api/events?status=past&page=${first.totalPages + 1}`);
    expect(beyond.items).toEqual([]);
  });

  it.each(['status=foo', 'page=-1', 'page=0', 'page=abc', 'page=1.5'])(
    'answers 400 with the issues for ?%s',
    async (q) => {
      const body = await json<{ error: { code: string; issues: { path: string[] }[] } }>(`/api/events?${q}`, 400);
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.issues.length).toBeGreaterThan(0);
      expect([['status'], ['page']]).toContainEqual(body.error.issues[0]!.path);
    },
  );
});

describe('GET /api/events/:slug', () => {
  it('returns the event with sanitized description and full speakers', async () => {
    const e = await json<EventDetail>('/api/events/living-lab-3-build-a-learning-ecosystem');
    expect(e.descriptionHtml).toContain('<p>');
    expect(e.speakers[0]).toHaveProperty('bio');
    expect(e.series).toEqual({ slug: 'living-lab', title: 'Learning Ecosystems Living Lab' });
  });

  it('never returns script from an organizer description', async () => {
    await t.app.catalogue.store.putEvent(
      {
        slug: 'xss-attempt',
        title: '<img src=x onerror=alert(1)>',
        description: 'Hi <script>alert(1)</script> [x](javascript:alert(1))',
        startsAt: '2030-01-01T10:00:00Z',
        endsAt: '2030-01-01T11:00:00Z',
        timeZone: 'UTC',
        status: 'scheduled',
        seriesId: null,
        speakerIds: [],
        location: '',
      },
      'organizer',
    );
    const e = await json<EventDetail>('/api/events/xss-attempt');
    expect(e.descriptionHtml).not.toMatch(/<script|href="javascript/i);
  });

  it.each(['/api/events/no-such-event', '/api/events/NOT_A_SLUG', '/api/series/nope', '/api/speakers/nope'])(
    '%s answers a typed 404',
    async (path) => {
      const body = await json<{ error: { code: string; message: string } }>(path, 404);
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toBeTruthy();
    },
  );
});

describe('series and speakers', () => {
  it('lists series with their event counts', async () => {
    const body = await json<{ items: { slug: string; eventCount: number }[] }>('/api/series');
    expect(body.items.find((s) => s.slug === 'living-lab')?.eventCount).toBe(4);
  });

  it('returns a series with its events', async () => {
    const s = await json<{ title: string; events: EventSummary[] }>('/api/series/all-in-working-sessions');
    expect(s.events.map((e) => e.slug)).toContain('all-in-accra-2018');
  });

  it('returns a speaker with the events they speak at', async () => {
    const s = await json<{ name: string; country: string; events: EventSummary[] }>('/api/speakers/wanjiru-kamau');
    expect(s.country).toBe('KE');
    expect(s.events.map((e) => e.slug)).toContain('living-lab-3-build-a-learning-ecosystem');
  });
});

describe('GET /events/:slug/calendar.ics', () => {
  it('downloads an iCalendar file that starts at 11:00 UTC for Panel #3', async () => {
    const res = await get('/events/living-lab-3-build-a-learning-ecosystem/calendar.ics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const parsed = Object.values(await ical.async.parseICS(await res.text())).filter(
      (c) => c?.type === 'VEVENT',
    ) as VEvent[];
    expect(parsed).toHaveLength(1);
    expect(new Date(parsed[0]!.start).toISOString()).toBe('2021-04-27T11:00:00.000Z');
    expect(parsed[0]!.summary).toContain('How to Build a Learning Ecosystem');
  });

  it('answers 404 for an unknown event', async () => {
    expect((await get('/events/nope/calendar.ics')).status).toBe(404);
  });
});

describe('bad requests', () => {
  it('answers an unknown API route with a typed 404', async () => {
    const body = await json<{ error: { code: string } }>('/api/nothing-here', 404);
    expect(body.error.code).toBe('not_found');
  });

  it('answers malformed JSON with 400', async () => {
    const res = await fetch(t.url + '/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('answers an oversized JSON body with 413', async () => {
    const res = await fetch(t.url + '/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ big: 'x'.repeat(200 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('is still serving after all of that', async () => {
    expect((await get('/api/events?status=past')).status).toBe(200);
  });
});
