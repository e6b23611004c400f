import { describe, expect, it } from 'vitest';
import { demoInstants } from './load.ts';
import { DEMO_EVENTS } from './events.ts';

const byslug = (slug: string) => DEMO_EVENTS.find((e) => e.slug === slug)!;

describe('demo dates', () => {
  it('places the Living Lab panels at 2:00 pm in Doha (11:00 UTC)', () => {
    expect(demoInstants(byslug('living-lab-1-vibrant-learning-communities'), new Date()).startsAt).toBe(
      '2020-12-10T11:00:00Z',
    );
    expect(demoInstants(byslug('living-lab-2-cities-nurture-learning'), new Date()).startsAt).toBe(
      '2021-02-16T11:00:00Z',
    );
    expect(demoInstants(byslug('living-lab-3-build-a-learning-ecosystem'), new Date()).startsAt).toBe(
      '2021-04-27T11:00:00Z',
    );
  });

  it('converts wall-clock times across daylight saving (New York in September is UTC-4)', () => {
    expect(demoInstants(byslug('all-in-new-york-2018'), new Date()).startsAt).toBe('2018-09-22T13:00:00Z');
  });

  it('dates upcoming panels relative to the load day, in the future', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const upcoming = DEMO_EVENTS.filter((e) => typeof e.date !== 'string');
    expect(upcoming.length).toBeGreaterThanOrEqual(2);
    for (const e of upcoming) expect(Date.parse(demoInstants(e, now).startsAt)).toBeGreaterThan(now.getTime());
    expect(demoInstants(byslug('living-lab-4-learning-on-weak-networks'), now).startsAt).toBe('2026-12-02T11:00:00Z');
  });
});
