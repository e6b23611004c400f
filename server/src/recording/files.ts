/**
 * Where a recording's files live, and the durable append of a chunk.
 *
 *   <recordingsDir>/<eventId>/<recordingId>/seg-00000.webm   raw segments as received (private)
 *   <recordingsDir>/<eventId>/<recordingId>/audio.wav        16 kHz mono for the transcriber (private)
 *   <mediaDir>/recordings/<eventId>/<recordingId>/r<run>/    recording.mp4, hls/, poster.jpg (served at /media)
 *
 * Every run of the job writes a new r<run> folder, so the served files never change under a URL
 * (they are cached as immutable) and a failed run leaves the previous files in place.
 */
import fs from 'node:fs';
import path from 'node:path';

const SAFE = /^[A-Za-z0-9_-]{1,64}$/;

function safe(part: string): string {
  if (!SAFE.test(part)) throw new Error(`unsafe path component: ${JSON.stringify(part)}`);
  return part;
}

export class RecordingFiles {
  readonly recordingsDir: string;
  readonly mediaDir: string;
  constructor(recordingsDir: string, mediaDir: string) {
    this.recordingsDir = path.resolve(recordingsDir);
    this.mediaDir = path.resolve(mediaDir);
  }

  rawDir(eventId: string, id: string): string {
    return path.join(this.recordingsDir, safe(eventId), safe(id));
  }

  segmentPath(eventId: string, id: string, n: number): string {
    return path.join(this.rawDir(eventId, id), `seg-${String(n).padStart(5, '0')}.webm`);
  }

  audioPath(eventId: string, id: string): string {
    return path.join(this.rawDir(eventId, id), 'audio.wav');
  }

  /** The folder of one run, relative to the media dir (URL path after /media/). */
  runRel(eventId: string, id: string, run: number): string {
    return ['recordings', safe(eventId), safe(id), `r${run}`].join('/');
  }

  abs(rel: string): string {
    const p = path.resolve(this.mediaDir, rel);
    if (!p.startsWith(this.mediaDir + path.sep)) throw new Error('path outside the media dir');
    return p;
  }

  /**
   * Writes `data` at byte `offset` of the segment file (cutting anything after it, the remains
   * of a write that was never acknowledged), then fsyncs. Returns the file's new length.
   */
  async appendChunk(file: string, offset: number, data: Uint8Array): Promise<number> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const fh = await fs.promises.open(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o640);
    try {
      const { size } = await fh.stat();
      if (size < offset) throw new Error(`segment file ${file} is shorter (${size}) than acknowledged (${offset})`);
      if (size !== offset) await fh.truncate(offset);
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await fh.write(data, written, data.length - written, offset + written);
        written += bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    // A new file's directory entry must be durable too.
    if (offset === 0) {
      const dir = await fs.promises.open(path.dirname(file), fs.constants.O_RDONLY);
      await dir.sync().finally(() => dir.close());
    }
    return offset + data.length;
  }

  /** The segment files that exist and are not empty, in order. */
  existingSegments(eventId: string, id: string, count: number): string[] {
    const out: string[] = [];
    for (let n = 0; n < count; n++) {
      const p = this.segmentPath(eventId, id, n);
      try {
        if (fs.statSync(p).size > 0) out.push(p);
      } catch {
        // never received a chunk
      }
    }
    return out;
  }
}
