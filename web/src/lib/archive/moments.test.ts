import { describe, expect, it } from 'vitest';
import { indexAt, momentParam, parseMoment } from './moments.ts';

describe('parseMoment', () => {
  it('reads seconds, h/m/s and clock forms', () => {
    expect(parseMoment('754')).toBe(754);
    expect(parseMoment('754.5')).toBe(754.5);
    expect(parseMoment('12m34s')).toBe(754);
    expect(parseMoment('1h2m3s')).toBe(3723);
    expect(parseMoment('34s')).toBe(34);
    expect(parseMoment('2m')).toBe(120);
    expect(parseMoment('12:34')).toBe(754);
    expect(parseMoment('1:02:03')).toBe(3723);
  });

  it('refuses anything else', () => {
    for (const bad of [null, '', 'abc', '-5', '1e3', '12:3', 'h', '99999999', '1m2h', '754; drop']) {
      expect(parseMoment(bad), String(bad)).toBeNull();
    }
  });

  it('writes whole seconds', () => {
    expect(momentParam(754.9)).toBe('754');
    expect(momentParam(-3)).toBe('0');
  });
});

describe('indexAt', () => {
  const cues = [
    { start: 1, end: 3 },
    { start: 3, end: 6 },
    { start: 10, end: 12 },
  ];
  it('finds the item playing, and none in gaps or before the first', () => {
    expect(indexAt(cues, 0)).toBe(-1);
    expect(indexAt(cues, 1)).toBe(0);
    expect(indexAt(cues, 3.5)).toBe(1);
    expect(indexAt(cues, 8)).toBe(-1);
    expect(indexAt(cues, 11)).toBe(2);
    expect(indexAt([{ start: 0 }, { start: 30 }], 100)).toBe(1);
    expect(indexAt([], 5)).toBe(-1);
  });
});
