import { describe, expect, it } from 'vitest';
import type { CaptionLine } from '@colloquy/shared';
import { mergeLines, splitText, visibleLines } from './lines.ts';

const line = (start: number, text: string, sentAt = '2026-01-01T00:00:00.000Z'): CaptionLine => ({
  start,
  end: start + 2,
  text,
  sentAt,
  delayMs: 1000,
});

describe('caption lines', () => {
  it('keeps the newest, drops duplicates from a re-read, and shows the last two', () => {
    let kept = mergeLines([], [line(0, 'one'), line(2, 'two')], 1000);
    kept = mergeLines(kept, [line(2, 'two'), line(4, 'three')], 2000);
    expect(kept.map((l) => l.text)).toEqual(['one', 'two', 'three']);
    expect(visibleLines(kept, 2000).map((l) => l.text)).toEqual(['two', 'three']);
    kept = mergeLines(kept, [line(6, 'four'), line(8, 'five'), line(10, 'six'), line(12, 'seven')], 3000);
    expect(kept.map((l) => l.text)).toEqual(['two', 'three', 'four', 'five', 'six', 'seven']);
  });

  it('hides a line once it is old, counting the age the server reported', () => {
    const kept = mergeLines([], [line(0, 'old'), line(2, 'new')], 0, (l) => (l.text === 'old' ? 15_000 : 0), 20_000);
    expect(visibleLines(kept, 4_000).map((l) => l.text)).toEqual(['old', 'new']);
    expect(visibleLines(kept, 6_000).map((l) => l.text)).toEqual(['new']);
    expect(visibleLines(kept, 21_000)).toEqual([]);
  });

  it('shows a long cue as several short lines', () => {
    const text = Array.from({ length: 18 }, (_, i) => `w${i + 1}`).join(' ');
    expect(splitText(text)).toEqual(['w1 w2 w3 w4 w5 w6 w7 w8 w9', 'w10 w11 w12 w13 w14 w15 w16 w17 w18']);
    expect(splitText('  a   b ')).toEqual(['a b']);
    expect(splitText('')).toEqual([]);
    const kept = mergeLines([], [line(0, text)], 0);
    expect(visibleLines(kept, 1).map((l) => l.text)).toEqual(splitText(text));
    // Re-reading the same cue adds nothing.
    expect(mergeLines(kept, [line(0, text)], 5)).toEqual(kept);
  });
});
