/**
 * WebVTT and SRT in and out. Uploads are parsed with media-captions (which reports bad timestamps
 * and headers with their line), after a structural pass of our own that catches blocks without a
 * timing line (media-captions' SRT parser skips those silently); then every cue is checked: ends
 * after it starts, starts no earlier than the cue before, has text. Any problem rejects the whole
 * file with the line numbers. Output is written with `subtitle`.
 */
import * as mediaCaptions from 'media-captions';
import { stringifySync } from 'subtitle';
import { TRANSCRIPT_LIMITS, type CueInput, type ValidationIssue } from '@colloquy/shared';

/**
 * media-captions' bundled .d.ts files import each other without extensions, which TypeScript's
 * NodeNext resolution cannot follow from an ES module package: type the one function we call.
 */
interface ParsedCaptions {
  cues: { startTime: number; endTime: number; text: string }[];
  errors: { code: number; line: number; message: string }[];
}
const parseText = (
  mediaCaptions as unknown as {
    parseText(
      text: string,
      options: { type: 'vtt' | 'srt'; strict: boolean; errors: boolean },
    ): Promise<ParsedCaptions>;
  }
).parseText;

export type CaptionsFormat = 'vtt' | 'srt';

/** A file we refuse: `kind` says whether it is the wrong type or a malformed file of the right type. */
export class CaptionsError extends Error {
  readonly kind: 'type' | 'content' | 'size';
  readonly issues: ValidationIssue[];
  constructor(kind: 'type' | 'content' | 'size', message: string, issues: ValidationIssue[] = []) {
    super(message);
    this.name = 'CaptionsError';
    this.kind = kind;
    this.issues = issues;
  }
}

/** Content types an upload may declare (browsers send SRT as any of several, or none). */
const ACCEPTED_TYPES = new Set([
  'text/vtt',
  'text/plain',
  'text/srt',
  'text/x-srt',
  'application/x-subrip',
  'application/srt',
  'application/x-srt',
  'application/octet-stream',
  '',
]);

export function acceptedContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return ACCEPTED_TYPES.has(type);
}

const TIMING = /-->/;
const MAX_ISSUES = 20;

const lineIssue = (line: number, message: string): ValidationIssue => ({ path: ['line', line], message });

function decode(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CaptionsError('type', 'The file is not UTF-8 text: upload a WebVTT (.vtt) or SRT (.srt) file');
  }
  if (text.includes('\u0000')) throw new CaptionsError('type', 'The file is binary, not a WebVTT or SRT file');
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Which format the text is in, from its first lines. */
export function detectFormat(text: string): CaptionsFormat | null {
  if (/^WEBVTT(?:[ \t].*)?(?:\n|$)/.test(text)) return 'vtt';
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first === -1) return null;
  const a = lines[first]!.trim();
  const b = (lines[first + 1] ?? '').trim();
  if ((/^\d+$/.test(a) && TIMING.test(b)) || TIMING.test(a)) return 'srt';
  return null;
}

interface Block {
  /** 1-based line number of the block's first line. */
  line: number;
  lines: string[];
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | null = null;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') {
      if (current) out.push(current);
      current = null;
    } else {
      current ??= { line: i + 1, lines: [] };
      current.lines.push(raw);
    }
  });
  if (current) out.push(current);
  return out;
}

/** Seconds of a `hh:mm:ss.mmm` / `mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT) timestamp, else NaN. */
export function parseTimestamp(raw: string, format: CaptionsFormat): number {
  const sep = format === 'vtt' ? '\\.' : ',';
  const m = new RegExp(`^(?:(\\d{1,4}):)?([0-5]\\d):([0-5]\\d)${sep}(\\d{3})$`).exec(raw);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

interface Timing {
  line: number;
  start: number;
  end: number;
}

/** Checks that every cue block has its timing line; returns the timings, in order. */
function structure(text: string, format: CaptionsFormat, issues: ValidationIssue[]): Timing[] {
  const timingLines: number[] = [];
  const all = blocks(text);
  const cueBlocks = format === 'vtt' ? all.slice(1) : all; // a WebVTT file starts with its header block
  const example = format === 'vtt' ? '00:00:01.000 --> 00:00:03.500' : '00:00:01,000 --> 00:00:03,500';
  for (const b of cueBlocks) {
    const first = b.lines[0]!;
    if (format === 'vtt' && /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first)) continue;
    if (TIMING.test(first)) {
      timingLines.push(b.line);
      continue;
    }
    const second = b.lines[1];
    if (format === 'srt' && !/^\s*\d+\s*$/.test(first)) {
      issues.push(lineIssue(b.line, `expected a cue number or a timing line like ${example}`));
    } else if (second !== undefined && TIMING.test(second)) {
      timingLines.push(b.line + 1);
    } else {
      issues.push(lineIssue(b.line + 1, `expected a timing line like ${example}`));
    }
  }
  const lines = text.split('\n');
  return timingLines.map((line) => {
    const m = /^\s*(\S+)\s+-->\s+(\S+)/.exec(lines[line - 1]!);
    const start = m ? parseTimestamp(m[1]!, format) : NaN;
    const end = m ? parseTimestamp(m[2]!, format) : NaN;
    return { line, start, end };
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

/** Plain text of a cue's payload (tags removed, entities decoded) and the speaker of a `<v>` span. */
export function cueText(payload: string): { text: string; speaker?: string } {
  const voice = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(payload);
  const text = payload
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/&#(\d{1,6});/g, (m, n: string) => {
      const code = Number(n);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
  const speaker = voice?.[1]?.trim();
  return speaker ? { text, speaker } : { text };
}

/**
 * Parses an uploaded WebVTT or SRT file into cues, or throws CaptionsError with every problem
 * found (up to 20), each with its line.
 */
export async function parseCaptions(
  bytes: Uint8Array,
  contentType?: string,
): Promise<{ format: CaptionsFormat; cues: CueInput[] }> {
  if (!acceptedContentType(contentType)) {
    throw new CaptionsError('type', 'Upload a WebVTT (.vtt) or SRT (.srt) file');
  }
  if (bytes.length > TRANSCRIPT_LIMITS.uploadBytes) {
    throw new CaptionsError('size', 'The file is larger than 2 MB');
  }
  const text = decode(bytes);
  if (text.trim() === '') throw new CaptionsError('content', 'The file is empty', [lineIssue(1, 'the file is empty')]);
  const format = detectFormat(text);
  if (!format) {
    throw new CaptionsError('content', 'Line 1: the file is neither WebVTT (starts with "WEBVTT") nor SRT', [
      lineIssue(1, 'a WebVTT file starts with "WEBVTT"; an SRT file with a cue number and a timing line'),
    ]);
  }

  const issues: ValidationIssue[] = [];
  const timings = structure(text, format, issues);
  const parsed = await parseText(text, { type: format, strict: false, errors: true });
  const reported = new Set<number>();
  for (const e of parsed.errors) {
    reported.add(e.line);
    issues.push(lineIssue(e.line, e.message.replace(/ on line \d+$/, '')));
  }
  // Times are checked on our own reading of each timing line: media-captions drops a cue whose
  // times are impossible without saying so.
  let previousStart = -Infinity;
  for (const { line, start, end } of timings) {
    if (Number.isNaN(start) || Number.isNaN(end)) {
      if (!reported.has(line)) issues.push(lineIssue(line, 'the timing line has an invalid timestamp'));
      continue;
    }
    if (!(end > start)) issues.push(lineIssue(line, 'the cue ends before it starts'));
    if (start < previousStart) {
      issues.push(lineIssue(line, 'the cue starts before the cue above it: cues must be in time order'));
    }
    previousStart = Math.max(previousStart, start);
  }
  if (issues.length === 0 && parsed.cues.length !== timings.length) {
    issues.push(lineIssue(1, 'some cues could not be read'));
  }

  const cues: CueInput[] = [];
  parsed.cues.forEach((c, i) => {
    const line = timings[i]?.line ?? 1;
    const { text: body, speaker } = cueText(c.text);
    if (body.length > TRANSCRIPT_LIMITS.cueTextMaxLength) {
      issues.push(lineIssue(line, `the cue's text is longer than ${TRANSCRIPT_LIMITS.cueTextMaxLength} characters`));
    }
    if (body === '') return; // an empty cue says nothing; drop it
    cues.push({
      start: round(c.startTime),
      end: round(c.endTime),
      text: body,
      ...(speaker ? { speaker } : {}),
    });
  });
  if (issues.length === 0 && cues.length === 0) issues.push(lineIssue(1, 'the file has no cues with text'));
  if (cues.length > TRANSCRIPT_LIMITS.maxCues) {
    issues.push(lineIssue(1, `the file has more than ${TRANSCRIPT_LIMITS.maxCues} cues`));
  }
  if (issues.length > 0) {
    issues.sort((a, b) => Number(a.path[1]) - Number(b.path[1]));
    const shown = issues.slice(0, MAX_ISSUES);
    const first = shown[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new CaptionsError('content', `Line ${String(first.path[1])}: ${first.message}${more}`, shown);
  }
  return { format, cues };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Escapes a cue's text for a WebVTT payload (no markup, no blank lines, no `-->`). */
function vttPayload(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n\s*\n/g, '\n')
    .replace(/-->/g, '--&gt;');
}

type Writable = Pick<CueInput, 'start' | 'end' | 'text' | 'speaker'>;

export function toVtt(cues: readonly Writable[]): string {
  if (cues.length === 0) return 'WEBVTT\n';
  return stringifySync(
    cues.map((c) => ({
      type: 'cue' as const,
      data: {
        start: Math.round(c.start * 1000),
        end: Math.round(c.end * 1000),
        text: (c.speaker ? `<v ${c.speaker.replace(/[<>&]/g, '')}>` : '') + vttPayload(c.text),
      },
    })),
    { format: 'WebVTT' },
  );
}

export function toSrt(cues: readonly Writable[]): string {
  return stringifySync(
    cues.map((c) => ({
      type: 'cue' as const,
      data: {
        start: Math.round(c.start * 1000),
        end: Math.round(c.end * 1000),
        text: c.text.replace(/\n\s*\n/g, '\n').replace(/-->/g, '->'),
      },
    })),
    { format: 'SRT' },
  );
}
