/**
 * The demo panels' recordings, made on this machine: festival's HTS voice reads each turn (the
 * moderator unmodified, the others at another rate and pitch so the speakers sound apart), the
 * turns are laid end to end with short pauses, and ffmpeg draws speaker cards — name, title,
 * organization, the current speaker highlighted — over a solid background at 5 frames a second.
 *
 * The result is cached under `<cacheDir>/<hash>.mp4` with its timeline in `<hash>.json` (written
 * last, so its presence means the pair is complete). The hash covers everything that shapes the
 * file, so a restart reuses it and a changed script makes a new one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ffmpeg } from '../../recording/ffmpeg.ts';
import { run } from '../../transcripts/audio.ts';
import type { DemoPanelScript } from './scripts.ts';

/** Bump when the drawing or the voices change: every cached file is made again. */
export const MEDIA_VERSION = 1;

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const FONT = path.join(FONT_DIR, 'DejaVuSans.ttf');
const FONT_BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');
const SAMPLE_RATE = 48_000;
const BYTES_PER_SECOND = SAMPLE_RATE * 2;
const W = 640;
const H = 360;
const FPS = 5;
/** Silence before the first turn, between turns, and after the last one (seconds). */
const LEAD = 0.6;
const GAP = 0.8;
const TAIL = 1.0;

/**
 * Voices by speaker order (the moderator first). festival's HTS binding honours the engine's
 * speaking rate (`-r`) but not its pitch option, so pitch is shifted afterwards (rubberband, with
 * the formants kept); lower voices stay as easy for pocketsphinx as the plain one (word error 15–19% on a
 * panel script here), higher ones did not (28–39%), so every variant is lower.
 */
export const VOICES = [
  { rate: 1, pitch: 1 },
  { rate: 0.95, pitch: 0.82 },
  { rate: 1.05, pitch: 0.86 },
  { rate: 0.9, pitch: 0.94 },
] as const;

/** What a speaker card shows. */
export interface CardSpeaker {
  slug: string;
  name: string;
  title: string;
  organization: string;
}

export interface TimedTurn {
  speaker: string;
  /** Seconds into the recording. */
  start: number;
  end: number;
}

export interface PanelTimeline {
  durationSeconds: number;
  turns: TimedTurn[];
}

export interface PanelMedia {
  hash: string;
  file: string;
  timeline: PanelTimeline;
  /** True when the cached file was used. */
  cached: boolean;
}

export interface PanelMediaInput {
  script: DemoPanelScript;
  /** The panel's speakers as the cards show them (at least every speaker of the script). */
  speakers: CardSpeaker[];
  eventTitle: string;
  /** A line at the foot of the frame (the series), or ''. */
  footer: string;
  cacheDir: string;
  signal?: AbortSignal;
  /** 0..1 as the turns are spoken and the video drawn. */
  onProgress?: (fraction: number) => void;
}

/** The speakers in the order they first speak (the moderator first), each with a voice. */
export function castOf(script: DemoPanelScript): { slug: string; voice: (typeof VOICES)[number] }[] {
  const order = [script.moderator, ...script.turns.map((t) => t.speaker)].filter((s, i, all) => all.indexOf(s) === i);
  return order.map((slug, i) => ({ slug, voice: VOICES[i % VOICES.length]! }));
}

/** The hash of everything that shapes the panel's file (and so its cache name). */
export function panelHash(i: Pick<PanelMediaInput, 'script' | 'speakers' | 'eventTitle' | 'footer'>): string {
  const cards = castOf(i.script).map((c) => i.speakers.find((s) => s.slug === c.slug) ?? c.slug);
  const basis = JSON.stringify({
    v: MEDIA_VERSION,
    voices: VOICES,
    script: i.script,
    cards,
    t: i.eventTitle,
    f: i.footer,
  });
  return crypto.createHash('sha256').update(basis).digest('hex').slice(0, 24);
}

/** The cached media for a hash, or null when it has not been made (or was left incomplete). */
export function cachedMedia(cacheDir: string, hash: string): PanelMedia | null {
  const file = path.join(cacheDir, `${hash}.mp4`);
  const meta = path.join(cacheDir, `${hash}.json`);
  try {
    const timeline = JSON.parse(fs.readFileSync(meta, 'utf8')) as PanelTimeline;
    if (!fs.statSync(file).isFile() || !Array.isArray(timeline.turns)) return null;
    return { hash, file, timeline, cached: true };
  } catch {
    return null;
  }
}

/** The panel's recording: from the cache, or spoken and drawn now. */
export async function ensurePanelMedia(i: PanelMediaInput): Promise<PanelMedia> {
  const hash = panelHash(i);
  const hit = cachedMedia(i.cacheDir, hash);
  if (hit) return hit;
  fs.mkdirSync(i.cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(i.cacheDir, `.work-${hash}-`));
  try {
    const cast = castOf(i.script);
    const voiceOf = (slug: string) => cast.find((c) => c.slug === slug)!.voice;
    // 1. Each turn spoken, as 48 kHz mono 16-bit PCM (its length gives the exact timing).
    const pcm: Buffer[] = [];
    for (const [n, turn] of i.script.turns.entries()) {
      pcm.push(await speak(turn.text, voiceOf(turn.speaker), path.join(work, `turn-${n}`), i.signal));
      i.onProgress?.(((n + 1) / i.script.turns.length) * 0.6);
    }
    // 2. The turns end to end, with pauses; the timeline from the byte counts.
    const silence = (s: number) => Buffer.alloc(Math.round(s * SAMPLE_RATE) * 2);
    const parts: Buffer[] = [silence(LEAD)];
    const turns: TimedTurn[] = [];
    let at = LEAD;
    for (const [n, turn] of i.script.turns.entries()) {
      const seconds = pcm[n]!.length / BYTES_PER_SECOND;
      turns.push({ speaker: turn.speaker, start: round3(at), end: round3(at + seconds) });
      parts.push(pcm[n]!);
      at += seconds;
      if (n < i.script.turns.length - 1) {
        parts.push(silence(GAP));
        at += GAP;
      }
    }
    parts.push(silence(TAIL));
    const durationSeconds = round3(at + TAIL);
    const audio = path.join(work, 'audio.raw');
    fs.writeFileSync(audio, Buffer.concat(parts));

    // 3. The cards, drawn over the whole length, muxed with the audio.
    const graph = path.join(work, 'graph.txt');
    fs.writeFileSync(graph, cardsGraph(i, turns, work));
    const tmp = path.join(work, 'panel.mp4');
    await ffmpeg(
      [
        ...['-f', 'lavfi', '-i', `color=c=0x14213d:s=${W}x${H}:r=${FPS}:d=${durationSeconds}`],
        ...['-f', 's16le', '-ar', String(SAMPLE_RATE), '-ac', '1', '-i', audio],
        ...['-filter_complex_script', graph, '-map', '[v]', '-map', '1:a'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-pix_fmt', 'yuv420p'],
        ...['-r', String(FPS), '-g', String(FPS * 10), '-c:a', 'aac', '-b:a', '96k'],
        ...['-t', String(durationSeconds), '-movflags', '+faststart', tmp],
      ],
      {
        durationSeconds,
        onProgress: (f) => i.onProgress?.(0.6 + 0.4 * f),
        ...(i.signal ? { signal: i.signal } : {}),
      },
    );
    const timeline: PanelTimeline = { durationSeconds, turns };
    const file = path.join(i.cacheDir, `${hash}.mp4`);
    fs.renameSync(tmp, file);
    fs.writeFileSync(path.join(i.cacheDir, `${hash}.json`), JSON.stringify(timeline));
    return { hash, file, timeline, cached: false };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const round3 = (s: number) => Math.round(s * 1000) / 1000;

/** One turn spoken by festival in `voice`, as raw 48 kHz mono s16le PCM. */
async function speak(
  text: string,
  voice: { rate: number; pitch: number },
  base: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  fs.writeFileSync(`${base}.txt`, text);
  const opts = signal ? { signal } : {};
  const evals = ['-eval', '(voice_cmu_us_slt_arctic_hts)'];
  if (voice.rate !== 1) {
    evals.push('-eval', `(set! hts_engine_params (append hts_engine_params (list '("-r" ${voice.rate}))))`);
  }
  await run('text2wave', [...evals, `${base}.txt`, '-o', `${base}.wav`], opts);
  const filters = voice.pitch !== 1 ? ['-af', `rubberband=pitch=${voice.pitch}:formant=preserved`] : [];
  await ffmpeg(
    ['-i', `${base}.wav`, ...filters, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', `${base}.raw`],
    opts,
  );
  return fs.readFileSync(`${base}.raw`);
}

/** Breaks `text` into lines of at most `width` characters (at spaces), at most `max` lines. */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > max) {
    const kept = lines.slice(0, max);
    kept[max - 1] = `${kept[max - 1]!.slice(0, width - 1)}…`;
    return kept;
  }
  return lines;
}

/**
 * The filter graph: header, one card per speaker (the moderator marked), a highlight around the
 * card of whoever speaks, and a "speaking" line at the foot. Texts go through files
 * (`textfile`, no expansion), so no name or title needs escaping.
 */
function cardsGraph(i: PanelMediaInput, turns: TimedTurn[], work: string): string {
  let files = 0;
  const textFile = (text: string) => {
    const f = path.join(work, `text-${files++}.txt`);
    fs.writeFileSync(f, text);
    return f;
  };
  const text = (t: string, x: number | string, y: number, size: number, color: string, bold = false, enable?: string) =>
    `drawtext=fontfile=${bold ? FONT_BOLD : FONT}:textfile=${textFile(t)}:expansion=none:x=${x}:y=${y}:fontsize=${size}:fontcolor=${color}:line_spacing=4` +
    (enable ? `:enable='${enable}'` : '');
  const box = (x: number, y: number, w: number, h: number, color: string, t: number | 'fill', enable?: string) =>
    `drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=${color}:t=${t}` + (enable ? `:enable='${enable}'` : '');

  const cast = castOf(i.script);
  const cards = cast.map((c) => {
    const s = i.speakers.find((x) => x.slug === c.slug);
    return { slug: c.slug, name: s?.name ?? c.slug, title: s?.title ?? '', organization: s?.organization ?? '' };
  });
  const filters: string[] = [];
  filters.push(text(wrap(i.eventTitle, 58, 2).join('\n'), 16, 14, 17, 'white', true));

  const margin = 16;
  const gap = 12;
  const top = 78;
  const bottom = H - 40;
  const cols = cards.length <= 1 ? 1 : 2;
  const rows = Math.ceil(cards.length / cols);
  const cw = Math.floor((W - 2 * margin - (cols - 1) * gap) / cols);
  const ch = Math.min(112, Math.floor((bottom - top - (rows - 1) * gap) / rows));
  // Fewer rows than fit: the cards sit in the middle of the free space.
  const y0 = top + Math.floor((bottom - top - (rows * ch + (rows - 1) * gap)) / 2);
  const placed = cards.map((c, n) => ({
    ...c,
    x: margin + (n % cols) * (cw + gap),
    y: y0 + Math.floor(n / cols) * (ch + gap),
  }));
  for (const c of placed) {
    filters.push(box(c.x, c.y, cw, ch, '0x24365c', 'fill'));
    filters.push(text(wrap(c.name, 26, 1)[0] ?? '', c.x + 14, c.y + 12, 19, 'white', true));
    filters.push(text(wrap(c.title, 36, 1)[0] ?? '', c.x + 14, c.y + 42, 14, '0xd7e0f0'));
    filters.push(text(wrap(c.organization, 38, 2).join('\n'), c.x + 14, c.y + 64, 13, '0xaab8d2'));
    if (c.slug === i.script.moderator) filters.push(text('MODERATOR', c.x + cw - 88, c.y + 15, 11, '0xf4b942', true));
  }
  for (const t of turns) {
    const c = placed.find((p) => p.slug === t.speaker)!;
    const enable = `between(t,${t.start},${t.end + GAP / 2})`;
    filters.push(box(c.x, c.y, cw, ch, '0xf4b942', 5, enable));
    filters.push(text(`Speaking: ${c.name}`, 16, H - 30, 14, '0xf4b942', true, enable));
  }
  if (i.footer) filters.push(text(i.footer, 'w-tw-16', H - 28, 12, '0x8a9bbd'));
  return `[0:v]${filters.join(',')}[v]`;
}
