import { describe, expect, it } from 'vitest';
import { listingOf } from './service.ts';

const now = new Date('2026-01-10T12:00:00Z');

describe('listingOf', () => {
  it.each([
    [{ status: 'live', endsAt: '2020-01-01T00:00:00Z' }, 'live'],
    [{ status: 'ended', endsAt: '2030-01-01T00:00:00Z' }, 'past'],
    [{ status: 'scheduled', endsAt: '2026-01-10T12:00:01Z' }, 'upcoming'],
    [{ status: 'scheduled', endsAt: '2026-01-10T12:00:00Z' }, 'past'],
    [{ status: 'scheduled', endsAt: '2025-12-31T00:00:00Z' }, 'past'],
  ] as const)('%o is %s', (event, expected) => {
    expect(listingOf(event, now)).toBe(expected);
  });
});
