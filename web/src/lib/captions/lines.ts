/**
 * The caption lines a viewer sees: the newest few, each hidden a while after it was sent so a
 * pause in the talk does not leave old words on screen. Lines come from the REST read (aged by
 * the server's clock, so a wrong clock in the browser does not matter) and from `captions:cue`.
 */
import { CAPTIONS_LIMITS, type CaptionLine } from '@colloquy/shared';

export interface ShownLine {
  /** Stable across the REST read and the socket (a reconnect reads lines it already has). */
  key: string;
  text: string;
  /** Browser clock (ms) after which the line is hidden. */
  hideAt: number;
}

/** Lines kept in memory; the component shows the last `SHOWN` that are not hidden yet. */
const KEPT = 6;
export const SHOWN = 2;
/** A cue longer than this is shown as several lines (of about equal length), so two lines fit a phone. */
export const MAX_WORDS = 10;

export const lineKey = (l: Pick<CaptionLine, 'start' | 'end' | 'text'>) => `${l.start.toFixed(3)}:${l.text}`;

/** Splits a cue's text into lines of at most `max` words, as even as possible. */
export function splitText(text: string, max: number = MAX_WORDS): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length <= max) return words.length ? [words.join(' ')] : [];
  const parts = Math.ceil(words.length / max);
  const size = Math.ceil(words.length / parts);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(' '));
  return out;
}

/**
 * Merges new lines (in order) into the kept ones. `ageMs(line)` is how long ago the server sent
 * it (0 for a line that just arrived on the socket).
 */
export function mergeLines(
  kept: readonly ShownLine[],
  incoming: readonly CaptionLine[],
  now: number,
  ageMs: (l: CaptionLine) => number = () => 0,
  ttlMs: number = CAPTIONS_LIMITS.lineTtlMs,
): ShownLine[] {
  const known = new Set(kept.map((l) => l.key.replace(/#\d+$/, '')));
  const out = [...kept];
  for (const l of incoming) {
    const key = lineKey(l);
    if (known.has(key)) continue;
    known.add(key);
    const hideAt = now + ttlMs - Math.max(0, ageMs(l));
    for (const [i, text] of splitText(l.text).entries()) out.push({ key: `${key}#${i}`, text, hideAt });
  }
  return out.slice(-KEPT);
}

/** What is on screen at `now`: the newest lines not yet hidden. */
export function visibleLines(kept: readonly ShownLine[], now: number): ShownLine[] {
  return kept.filter((l) => l.hideAt > now).slice(-SHOWN);
}
