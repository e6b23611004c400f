/**
 * Turning recognised words into readable cues, and small operations on cue lists that every
 * engine and parser shares (offsets, validation, plain text).
 */
import type { CueInput, TranscriptWord } from '@colloquy/shared';

export interface GroupOptions {
  /** Longest cue, in seconds. */
  maxSeconds?: number;
  /** Most words in one cue. */
  maxWords?: number;
  /** A pause at least this long ends a cue once it has `minSeconds` of speech. */
  pauseSeconds?: number;
  minSeconds?: number;
}

const DEFAULTS: Required<GroupOptions> = { maxSeconds: 7, maxWords: 18, pauseSeconds: 0.45, minSeconds: 1.5 };

/** Capitalizes the first letter and the pronoun "i", as engines without punctuation leave them. */
export function tidyText(words: string[]): string {
  const text = words
    .map((w) => (w === 'i' ? 'I' : w.startsWith("i'") ? 'I' + w.slice(1) : w))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Groups timed words into cues of at most `maxSeconds` (7 s) and `maxWords`, ending a cue early at a
 * pause (the nearest thing to a sentence an engine without punctuation gives).
 */
export function groupWords(words: TranscriptWord[], options: GroupOptions = {}): CueInput[] {
  const o = { ...DEFAULTS, ...options };
  const cues: CueInput[] = [];
  let current: TranscriptWord[] = [];
  const close = () => {
    if (current.length === 0) return;
    // A cue after a pause starts a sentence; one cut only for length continues the one before.
    const previous = cues.at(-1);
    const sentence = !previous || current[0]!.start - previous.end >= o.pauseSeconds;
    const text = tidyText(current.map((w) => w.text));
    cues.push({
      start: current[0]!.start,
      end: current.at(-1)!.end,
      text: sentence || /^I(?:\s|'|$)/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1),
      words: current,
    });
    current = [];
  };
  for (const w of words) {
    if (current.length > 0) {
      const first = current[0]!;
      const last = current.at(-1)!;
      const pause = w.start - last.end;
      const spoken = last.end - first.start;
      if (
        w.end - first.start > o.maxSeconds ||
        current.length >= o.maxWords ||
        (pause >= o.pauseSeconds && spoken >= o.minSeconds)
      ) {
        close();
      }
    }
    current.push(w);
  }
  close();
  return cues;
}

/** Shifts every time in `cues` by `offset` seconds (chunks of a longer recording). */
export function offsetCues(cues: CueInput[], offset: number): CueInput[] {
  if (offset === 0) return cues;
  const r = (n: number) => Math.round((n + offset) * 1000) / 1000;
  return cues.map((c) => ({
    ...c,
    start: r(c.start),
    end: r(c.end),
    ...(c.words ? { words: c.words.map((w) => ({ ...w, start: r(w.start), end: r(w.end) })) } : {}),
  }));
}

/** The transcript as plain text: one cue per line. */
export function cuesToText(cues: readonly { text: string }[]): string {
  return cues.map((c) => c.text.replace(/\s*\n\s*/g, ' ')).join('\n') + (cues.length ? '\n' : '');
}

/** All words of `cues` as one lower-case string (for word error rates). */
export function cueWords(cues: readonly { text: string }[]): string {
  return cues.map((c) => c.text).join(' ');
}
