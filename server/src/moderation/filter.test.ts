import { describe, expect, it } from 'vitest';
import { foldWords, WordMatcher } from './filter.ts';

describe('word filter matching', () => {
  const m = new WordMatcher(['café', 'Spam', 'buy now', 'straße']);

  it('matches whole words, whatever the case or accents', () => {
    expect(m.match('Meet me at the CAFE!')).toEqual(['café']);
    expect(m.match('spám, spam and more SPAM')).toEqual(['Spam']);
    expect(m.match('Cafe\u0301 au lait')).toEqual(['café']); // decomposed accent in the text
    expect(m.match('die Strasse')).toEqual(['straße']);
  });

  it('does not match inside longer words', () => {
    expect(m.match('the cafeteria serves spammers')).toEqual([]);
  });

  it('matches phrases as consecutive whole words', () => {
    expect(m.match('Buy   NOW, friends')).toEqual(['buy now']);
    expect(m.match('buy it now')).toEqual([]);
    expect(m.match('rebuy nowhere')).toEqual([]);
  });

  it('folds compatibility forms (full-width letters) too', () => {
    expect(foldWords('ＳＰＡＭ')).toEqual(['spam']);
    expect(m.match('ＳＰＡＭ')).toEqual(['Spam']);
  });

  it('finds nothing with an empty filter', () => {
    expect(new WordMatcher([]).match('anything')).toEqual([]);
  });
});
