/**
 * Helpers for the live-caption tests and benchmark (no vitest here, so the bench can use them):
 * a spoken WAV turned into the WebM a recorder page sends (VP8 test pattern + Opus, 1 s clusters),
 * cut into one chunk per cluster the way MediaRecorder's 1 s timeslice cuts its stream, and a
 * recorder that posts those chunks at real-time pace with its token.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RecorderSession } from '@colloquy/shared';

const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);

/**
 * Encodes `wav` with a small moving test pattern as a live-style WebM and cuts it before each
 * cluster (the first chunk carries the header and the first cluster), so chunk i holds about
 * second i, as a MediaRecorder with a 1 s timeslice would send it.
 */
export function recorderChunks(wav: string, dir: string): { chunks: Buffer[]; file: string } {
  const file = path.join(dir, `${path.basename(wav, '.wav')}.webm`);
  execFileSync('ffmpeg', [
    ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=15', '-i', wav],
    ...['-map', '0:v', '-map', '1:a', '-shortest'],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '200k', '-g', '15'],
    ...['-c:a', 'libopus', '-b:a', '48k', '-f', 'webm', '-cluster_time_limit', '1000', file],
  ]);
  const all = fs.readFileSync(file);
  const cuts: number[] = [];
  for (let i = all.indexOf(CLUSTER_ID); i !== -1; i = all.indexOf(CLUSTER_ID, i + 1)) cuts.push(i);
  // The first cluster stays with the header.
  const bounds = [0, ...cuts.slice(1), all.length];
  const chunks: Buffer[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) chunks.push(all.subarray(bounds[i], bounds[i + 1]));
  return { chunks, file };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Opens a recorder session (a new segment) as the recorder page does. */
export async function openRecorderSession(
  base: string,
  token: string,
): Promise<{ status: number; session: RecorderSession | null }> {
  const res = await fetch(`${base}/api/recorder/session`, { method: 'POST', headers: bearer(token) });
  return { status: res.status, session: res.ok ? ((await res.json()) as RecorderSession) : null };
}

export async function postChunk(base: string, token: string, segment: number, seq: number, body: Uint8Array) {
  return fetch(`${base}/api/recorder/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { 'content-type': 'video/webm', ...bearer(token) },
    body: body as Uint8Array<ArrayBuffer>,
  });
}

/**
 * Posts chunk i at `startedAt + (i + 1) s` (a 1 s timeslice hands over each second once it has
 * been recorded), in order; throws on a refused chunk. `onPosted(i)` after each.
 */
export async function postAtRealTimePace(
  base: string,
  token: string,
  segment: number,
  chunks: readonly Buffer[],
  startedAt: number,
  onPosted?: (i: number) => void,
): Promise<void> {
  for (const [i, c] of chunks.entries()) {
    const due = startedAt + (i + 1) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const res = await postChunk(base, token, segment, i, c);
    if (!res.ok) throw new Error(`chunk ${i} refused: ${res.status} ${await res.text()}`);
    onPosted?.(i);
  }
}

export const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
