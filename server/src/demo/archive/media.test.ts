import { describe, expect, it } from 'vitest';
import { DEMO_EVENTS } from '../events.ts';
import { DEMO_SPEAKERS } from '../speakers.ts';
import { progressPrinter } from './background.ts';
import { VOICES, castOf, panelHash, wrap } from './media.ts';
import { DEMO_PANEL_SCRIPTS, shortDemoScript, spokenText } from './scripts.ts';

const cards = DEMO_SPEAKERS.map((s) => ({
  slug: s.slug,
  name: s.name,
  title: s.title ?? '',
  organization: s.organization ?? '',
}));

describe('the panel scripts', () => {
  it.each(DEMO_PANEL_SCRIPTS.map((s) => [s.slug, s] as const))('%s is a past demo event with valid moments', (_, s) => {
    const event = DEMO_EVENTS.find((e) => e.slug === s.slug);
    expect(event?.status).toBe('ended');
    for (const t of s.turns) expect(event!.speakers, t.speaker).toContain(t.speaker);
    expect(s.turns[0]!.speaker).toBe(s.moderator);
    for (const q of s.questions) {
      expect(s.turns[q.asked]?.speaker).toBe(s.moderator);
      expect(q.answered).toBeGreaterThan(q.asked);
      expect(q.answered).toBeLessThan(s.turns.length);
    }
    for (const p of s.polls) {
      expect(p.counts).toHaveLength(p.options.length);
      expect(p.closes).toBeGreaterThan(p.opens);
      expect(p.closes).toBeLessThan(s.turns.length);
    }
    // About 60–90 s of speech at the voice's ~2.7 words a second.
    const words = spokenText(s).split(/\s+/).length;
    expect(words).toBeGreaterThan(150);
    expect(words).toBeLessThan(260);
  });
});

describe('castOf', () => {
  it('gives the moderator the plain voice and the others theirs in order of speaking', () => {
    const cast = castOf(DEMO_PANEL_SCRIPTS[2]!);
    expect(cast.map((c) => c.slug)).toEqual(['tom-whitcombe', 'thandiwe-dlamini', 'nadia-bensaid', 'wanjiru-kamau']);
    expect(cast[0]!.voice).toEqual({ rate: 1, pitch: 1 });
    expect(new Set(cast.map((c) => c.voice)).size).toBe(4);
    expect(VOICES.every((v) => v.pitch <= 1)).toBe(true);
  });
});

describe('panelHash', () => {
  const base = { script: shortDemoScript(), speakers: cards, eventTitle: 'Panel', footer: 'Lab' };
  it('is stable, and changes with the words, the cards and the title', () => {
    expect(panelHash(base)).toBe(panelHash({ ...base, speakers: [...cards].reverse() }));
    expect(panelHash(base)).toMatch(/^[0-9a-f]{24}$/);
    const changed = shortDemoScript();
    changed.turns[0]!.text += ' Welcome.';
    expect(panelHash({ ...base, script: changed })).not.toBe(panelHash(base));
    expect(panelHash({ ...base, eventTitle: 'Other' })).not.toBe(panelHash(base));
    const renamed = cards.map((c) => (c.slug === 'wanjiru-kamau' ? { ...c, title: 'Director' } : c));
    expect(panelHash({ ...base, speakers: renamed })).not.toBe(panelHash(base));
  });
});

describe('wrap', () => {
  it.each([
    ['Stawisha Instructional Leadership Institute', 38, 2, ['Stawisha Instructional Leadership', 'Institute']],
    ['Short', 10, 1, ['Short']],
    ['one two three four', 7, 1, ['one tw…']],
    ['', 10, 2, []],
  ])('%j at %i characters, %i lines', (text, width, max, lines) => {
    expect(wrap(text, width, max)).toEqual(lines);
  });
});

describe('progressPrinter', () => {
  it('prints each new step and every 20 points, not every tick', () => {
    const lines: string[] = [];
    const print = progressPrinter((l) => lines.push(l));
    const p = { panel: 2, panels: 3, slug: 's' };
    for (const percent of [0, 5, 19, 20, 39, 41, 99]) print({ ...p, step: 'processing the recording', percent });
    print({ ...p, step: 'transcribing', percent: 40, estimated: true });
    print({ ...p, step: 'ready', percent: 100 });
    expect(lines).toEqual([
      'demo archives: panel 2/3 — processing the recording 0%',
      'demo archives: panel 2/3 — processing the recording 20%',
      'demo archives: panel 2/3 — processing the recording 41%',
      'demo archives: panel 2/3 — processing the recording 99%',
      'demo archives: panel 2/3 — transcribing ~40%',
      'demo archives: panel 2/3 — ready',
    ]);
  });
});
