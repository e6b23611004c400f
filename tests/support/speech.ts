/**
 * Spoken-audio fixtures: festival's HTS voice (cmu_us_slt_arctic_hts) reads a script into a WAV,
 * cached under tests/.artifacts by the script's hash, so a second run costs nothing. Real speech
 * for pocketsphinx and for a fake microphone (`--use-file-for-fake-audio-capture`).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../.artifacts');

/** A short panel script on the seeds' themes (school leadership, learning ecosystems, weak networks). */
export const PANEL_SCRIPT = [
  'Welcome to the Living Lab.',
  'Today we talk about school leadership and how teachers learn from each other.',
  'A good learning ecosystem connects families, schools and the wider community.',
  'When the network is weak, students can still learn with radio and text messages.',
  'Thank you for joining us, and please send your questions to the moderator.',
].join(' ');

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/**
 * The WAV of `script` spoken by festival (48 kHz mono, as Chromium's fake microphone wants it),
 * generated once and cached. Writes go to a temporary name first, so a crash leaves no half file.
 */
export async function spokenWav(script: string = PANEL_SCRIPT): Promise<string> {
  const hash = crypto.createHash('sha256').update(script).digest('hex').slice(0, 16);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const out = path.join(ARTIFACTS, `speech-${hash}.wav`);
  if (fs.existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const txt = `${tmp}.txt`;
  const raw = `${tmp}.raw.wav`;
  fs.writeFileSync(txt, script);
  try {
    await run('text2wave', ['-eval', '(voice_cmu_us_slt_arctic_hts)', txt, '-o', raw]);
    await run('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      raw,
      '-ar',
      '48000',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      tmp,
    ]);
    fs.renameSync(tmp, out);
  } finally {
    for (const f of [txt, raw, tmp]) fs.rmSync(f, { force: true });
  }
  return out;
}

/** A spoken script laid out in time: where each sentence starts in the WAV (seconds). */
export interface TimedSpeech {
  wav: string;
  seconds: number;
  sentences: { text: string; start: number }[];
}

/**
 * The script spoken sentence by sentence, after `leadSeconds` of silence, as one 48 kHz mono WAV,
 * with the moment each sentence starts — so a test knows where a phrase was said.
 */
export async function timedSpeech(script: string = PANEL_SCRIPT, leadSeconds = 2): Promise<TimedSpeech> {
  const sentences = script.match(/[^.!?]+[.!?]/g)?.map((s) => s.trim()) ?? [script];
  const parts = await Promise.all(sentences.map((s) => spokenWav(s)));
  const durations = parts.map((p) => (fs.statSync(p).size - 44) / (48_000 * 2));
  const hash = crypto.createHash('sha256').update(`${leadSeconds}\n${script}`).digest('hex').slice(0, 16);
  const out = path.join(ARTIFACTS, `timed-${hash}.wav`);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    const inputs = parts.flatMap((p) => ['-i', p]);
    const filter = `anullsrc=r=48000:cl=mono:d=${leadSeconds}[lead];[lead]${parts.map((_, i) => `[${i}:a]`).join('')}concat=n=${parts.length + 1}:v=0:a=1[out]`;
    await run('ffmpeg', [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      filter,
      '-map',
      '[out]',
      '-ar',
      '48000',
      '-ac',
      '1',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      tmp,
    ]);
    fs.renameSync(tmp, out);
  }
  let at = leadSeconds;
  const timed = sentences.map((text, i) => {
    const start = at;
    at += durations[i]!;
    return { text, start };
  });
  return { wav: out, seconds: at, sentences: timed };
}
