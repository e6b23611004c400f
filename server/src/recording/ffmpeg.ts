/**
 * ffmpeg and ffprobe, spawned with argument arrays (never a shell). Progress comes from
 * ffmpeg's `-progress pipe:1` (out_time_us) against a duration the caller knows.
 */
import { spawn } from 'node:child_process';

export interface Probe {
  durationSeconds: number | null;
  video: { codec: string; width: number; height: number } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
}

export class FfmpegError extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

function run(
  command: string,
  args: string[],
  onStdoutLine?: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // `signal` kills the child (the server is stopping): no ffmpeg outlives it.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (!onStdoutLine) {
        stdout += d;
        return;
      }
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) onStdoutLine(l);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-8000);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function probe(file: string): Promise<Probe> {
  const { code, stdout, stderr } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  if (code !== 0) throw new FfmpegError(`ffprobe failed on ${file}`, stderr);
  const j = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: {
      codec_type?: string;
      codec_name?: string;
      width?: number;
      height?: number;
      sample_rate?: string;
      channels?: number;
    }[];
  };
  const v = j.streams?.find((s) => s.codec_type === 'video');
  const a = j.streams?.find((s) => s.codec_type === 'audio');
  const d = Number(j.format?.duration);
  return {
    durationSeconds: Number.isFinite(d) ? d : null,
    video: v ? { codec: v.codec_name ?? '', width: v.width ?? 0, height: v.height ?? 0 } : null,
    audio: a ? { codec: a.codec_name ?? '', sampleRate: Number(a.sample_rate ?? 0), channels: a.channels ?? 0 } : null,
  };
}

/**
 * Runs ffmpeg with `args`; `onProgress(fraction)` as it goes when `durationSeconds` is known.
 * Throws FfmpegError (with the end of stderr) when it exits non-zero.
 */
export async function ffmpeg(
  args: string[],
  opts: {
    durationSeconds?: number;
    onProgress?: (fraction: number) => void;
    allowFailure?: boolean;
    signal?: AbortSignal;
  } = {},
): Promise<void> {
  opts.signal?.throwIfAborted();
  const full = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats', ...args];
  const { code, stderr } = await run(
    'ffmpeg',
    full,
    (line) => {
      const m = line.match(/^out_time_(?:us|ms)=(\d+)/);
      if (m && opts.durationSeconds && opts.onProgress) {
        // out_time_ms is also in microseconds (an old ffmpeg naming quirk).
        opts.onProgress(Math.min(1, Number(m[1]) / 1e6 / opts.durationSeconds));
      }
    },
    opts.signal,
  );
  opts.signal?.throwIfAborted();
  if (code !== 0 && !opts.allowFailure)
    throw new FfmpegError(`ffmpeg exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, stderr);
}
