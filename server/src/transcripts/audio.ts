/**
 * Audio plumbing for the engines: ffmpeg (spawned with argument arrays, never a shell) turns any
 * recording into 16 kHz mono 16-bit WAV, which pocketsphinx needs and which keeps uploads to an
 * outside endpoint small; ffprobe reads durations.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';

export const SAMPLE_RATE = 16_000;
/** Bytes per second of 16 kHz mono s16le audio. */
export const PCM_BYTES_PER_SECOND = SAMPLE_RATE * 2;

export class ToolError extends Error {
  readonly tool: string;
  readonly code: number | null;
  constructor(tool: string, code: number | null, detail: string) {
    super(`${tool} failed${code === null ? '' : ` (exit ${code})`}: ${detail.trim().slice(-500) || 'no output'}`);
    this.name = 'ToolError';
    this.tool = tool;
    this.code = code;
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd` with `args`, collects its output, rejects on a non-zero exit, a missing binary or
 * the abort signal (the child is killed). `onStdout` sees output as it arrives.
 */
export function run(
  cmd: string,
  args: string[],
  opts: { signal?: AbortSignal; onStdout?: (chunk: string) => void; stdin?: Buffer } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onStdout?.(d);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      // Only the tail matters for an error message.
      stderr = (stderr + d).slice(-8_000);
    });
    if (opts.stdin && child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(opts.stdin);
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') reject(err);
      else if (err.code === 'ENOENT') reject(new ToolError(cmd, null, `${cmd} is not installed`));
      else reject(err);
    });
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new ToolError(cmd, code, stderr));
    });
  });
}

/** Converts any audio or video file to 16 kHz mono 16-bit WAV at `out` (from `start`, for `duration` s). */
export async function toWav16kMono(
  input: string,
  out: string,
  opts: { start?: number; duration?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];
  if (opts.start !== undefined) args.push('-ss', opts.start.toFixed(3));
  args.push('-i', input);
  if (opts.duration !== undefined) args.push('-t', opts.duration.toFixed(3));
  args.push('-vn', '-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', out);
  await run('ffmpeg', args, opts.signal ? { signal: opts.signal } : {});
}

/** Duration of a media file in seconds (ffprobe). */
export async function mediaDuration(file: string, signal?: AbortSignal): Promise<number> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file],
    signal ? { signal } : {},
  );
  const seconds = Number(stdout.trim());
  if (!Number.isFinite(seconds)) throw new ToolError('ffprobe', 0, `no duration for ${file}`);
  return seconds;
}

/** A WAV file (44-byte header) around 16 kHz mono s16le samples. */
export function wavFromPcm(pcm: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(PCM_BYTES_PER_SECOND, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** The samples of a 16 kHz mono s16le WAV written by ffmpeg or wavFromPcm (finds the data chunk). */
export async function pcmFromWav(file: string): Promise<Buffer> {
  const buf = await fs.readFile(file);
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'data') return buf.subarray(offset + 8, Math.min(buf.length, offset + 8 + size));
    offset += 8 + size + (size % 2);
  }
  throw new ToolError('wav', 0, `${file} has no data chunk`);
}
