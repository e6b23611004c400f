import { describe, expect, it } from 'vitest';
import {
  countdownText,
  formatCompact,
  formatDuration,
  formatInZone,
  formatOffset,
  formatRange,
  formatZone,
} from './time.ts';

// Panel #3 of the demo: 14:00 in Doha on 27 April 2021.
const PANEL = '2021-04-27T11:00:00.000Z';

describe('formatInZone', () => {
  it.each([
    ['Asia/Qatar', 'Tuesday 27 April 2021, 14:00 (Asia/Qatar, GMT+3)'],
    ['America/New_York', 'Tuesday 27 April 2021, 07:00 (America/New_York, GMT-4)'],
    ['UTC', 'Tuesday 27 April 2021, 11:00 (UTC)'],
    ['Asia/Kolkata', 'Tuesday 27 April 2021, 16:30 (Asia/Kolkata, GMT+5:30)'],
    ['Pacific/Auckland', 'Tuesday 27 April 2021, 23:00 (Pacific/Auckland, GMT+12)'],
  ])('in %s', (zone, expected) => {
    expect(formatInZone(PANEL, zone)).toBe(expected);
  });

  it('follows daylight saving time', () => {
    expect(formatInZone('2021-01-27T12:00:00Z', 'America/New_York')).toBe(
      'Wednesday 27 January 2021, 07:00 (America/New_York, GMT-5)',
    );
  });
});

describe('short forms', () => {
  it('formats cards compactly', () => {
    expect(formatCompact(PANEL, 'Asia/Qatar')).toBe('Tue 27 Apr 2021, 14:00 GMT+3');
    expect(formatCompact(PANEL, 'UTC')).toBe('Tue 27 Apr 2021, 11:00 UTC');
  });
  it('names offsets and zones', () => {
    expect(formatOffset(PANEL, 'Europe/London')).toBe('GMT+1');
    expect(formatOffset(PANEL, 'Africa/Accra')).toBe('GMT');
    expect(formatZone(PANEL, 'Etc/UTC')).toBe('UTC');
  });
  it('gives the end date when a range crosses midnight in that zone', () => {
    expect(formatRange(PANEL, '2021-04-27T12:30:00Z', 'Asia/Qatar')).toBe('14:00–15:30');
    expect(formatRange(PANEL, '2021-04-27T12:30:00Z', 'Pacific/Auckland')).toBe('23:00–Wed 28 Apr 2021, 00:30');
  });
  it.each([
    [90 * 60_000, '1 hour 30 minutes'],
    [45 * 60_000, '45 minutes'],
    [7 * 3_600_000, '7 hours'],
  ])('says %i ms lasts %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('countdownText', () => {
  const t = (d: number, h: number, m: number, s: number) => ((d * 24 + h) * 60 + m) * 60_000 + s * 1000;
  it.each([
    [t(8, 21, 4, 5), 1, 'Starts in 8 days'],
    [t(8, 21, 4, 5), 2, 'Starts in 8 days, 21 hours'],
    [t(8, 21, 4, 5), 4, 'Starts in 8 days, 21 hours, 4 minutes, 5 seconds'],
    [t(2, 0, 0, 30), 2, 'Starts in 2 days'],
    [t(2, 0, 0, 30), 4, 'Starts in 2 days, 0 hours, 0 minutes, 30 seconds'],
    [t(0, 1, 0, 0), 2, 'Starts in 1 hour'],
    [t(0, 0, 5, 1), 4, 'Starts in 5 minutes, 1 second'],
    [t(0, 0, 0, 1) + 999, 1, 'Starts in 1 second'],
    [500, 2, 'Starting now'],
    [0, 2, 'Starting now'],
    [-60_000, 4, 'Starting now'],
  ])('%i ms, %i units → %s', (ms, units, expected) => {
    expect(countdownText(ms, units)).toBe(expected);
  });
});
