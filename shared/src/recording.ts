/**
 * Recording: the recorder page streams WebM chunks to the server while an event is live; after
 * the event, a job turns the segments into MP4, HLS and a poster. See docs/protocol.md
 * ("Recording") and docs/decisions/0019-recording.md.
 */
import { z } from 'zod';

export const RECORDING_LIMITS = {
  /** Largest chunk the server accepts (one second of 720p VP8 is ~100–300 KB). */
  maxChunkBytes: 4 * 1024 * 1024,
  /** Sequence numbers and segment indexes are small non-negative integers. */
  maxSequence: 1_000_000,
  maxSegments: 10_000,
  /** MediaRecorder timeslice. */
  chunkMs: 1000,
} as const;

/** What the recorder page draws and records. */
export const RECORDER_CANVAS = { width: 1280, height: 720, fps: 15 } as const;

/**
 * recording/stopping: chunks are being received (stopping: the event ended, the recorder flushes
 * its last chunk); queued/processing: the job is making the files; ready/failed: the job's end.
 */
export const RecordingStatus = z.enum(['recording', 'stopping', 'queued', 'processing', 'ready', 'failed']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

/** Path parameters of a chunk upload. */
export const ChunkParams = z.object({
  segment: z.coerce.number().int().min(0).max(RECORDING_LIMITS.maxSegments),
  seq: z.coerce.number().int().min(0).max(RECORDING_LIMITS.maxSequence),
});
export type ChunkParams = z.infer<typeof ChunkParams>;

/** The organizer setting: record this event when it goes live (on unless switched off). */
export const RecordingSettingsInput = z.object({ enabled: z.boolean() }).strict();
export type RecordingSettingsInput = z.infer<typeof RecordingSettingsInput>;

/** One continuous piece of a recording (a new one starts after a server or recorder restart). */
export interface RecordingSegment {
  index: number;
  startedAt: string;
  /** Chunks and bytes acknowledged (stored durably). */
  chunks: number;
  bytes: number;
}

/** What the organizer's recording page shows. */
export interface RecordingInfo {
  id: string;
  eventId: string;
  status: RecordingStatus;
  /** 'live': recorded while the event was live; 'file': a file fed through ingestFile (the demo). */
  source: 'live' | 'file';
  startedAt: string;
  endedAt: string | null;
  segments: RecordingSegment[];
  /** Of the processed files (null until processed). */
  durationSeconds: number | null;
  /** 0–100 while queued/processing; 100 when ready. */
  progress: number;
  /** What the job is doing now, e.g. "encoding MP4". */
  step: string | null;
  error: string | null;
  /** How many times the files were made (run again increments it). */
  runs: number;
  mp4Url: string | null;
  hlsUrl: string | null;
  posterUrl: string | null;
  updatedAt: string;
}

/** GET /api/admin/events/:eventId/recording */
export interface RecordingAdminView {
  enabled: boolean;
  recording: RecordingInfo | null;
}

/** GET /api/events/:slug/recording (public; only once ready). */
export interface PublicRecording {
  status: 'ready';
  durationSeconds: number;
  mp4Url: string;
  hlsUrl: string;
  posterUrl: string;
}

/** POST /api/recorder/session: what the recorder page needs to join and upload. */
export interface RecorderSession {
  recordingId: string;
  /** The segment this page records into; chunks start at sequence 0. */
  segment: number;
  livekit: { url: string; token: string; room: string };
  maxChunkBytes: number;
}
