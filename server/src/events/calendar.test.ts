import { describe, expect, it } from 'vitest';
import ical, { type VEvent } from 'node-ical';
import { eventIcs, formatInZone } from './calendar.ts';
import type { EventRecord } from './store.ts';

const event: EventRecord = {
  id: '01900000-0000-7000-8000-000000000000',
  slug: 'panel',
  title: 'Panel, with; commas',
  description: 'About **things**',
  descriptionHtml: '',
  summary: '',
  startsAt: '2021-04-27T11:00:00.000Z',
  endsAt: '2021-04-27T12:30:00.000Z',
  timeZone: 'Asia/Qatar',
  status: 'ended',
  seriesId: null,
  speakerIds: [],
  location: 'Online',
  origin: 'demo',
  createdAt: '2021-01-01T00:00:00Z',
  updatedAt: '2021-01-01T00:00:00Z',
};

describe('eventIcs', () => {
  it('writes UTC instants that a calendar parser reads back exactly', () => {
    const parsed = Object.values(ical.sync.parseICS(eventIcs(event, 'https://x.test'))).find(
      (c) => c?.type === 'VEVENT',
    );
    expect(parsed).toBeDefined();
    const vevent = parsed as VEvent;
    expect(new Date(vevent.start).toISOString()).toBe('2021-04-27T11:00:00.000Z');
    expect(new Date(vevent.end!).toISOString()).toBe('2021-04-27T12:30:00.000Z');
    expect(vevent.summary).toBe('Panel, with; commas');
    expect(vevent.url).toBe('https://x.test/events/panel');
    expect(String(vevent.description)).toContain('14:00');
  });
});

describe('formatInZone', () => {
  it('shows the wall-clock time of the zone', () => {
    expect(formatInZone('2021-04-27T11:00:00Z', 'Asia/Qatar')).toMatch(/27 April 2021.*14:00/);
    expect(formatInZone('2021-04-27T11:00:00Z', 'America/New_York')).toMatch(/07:00/);
  });
});
