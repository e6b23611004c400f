/**
 * Live captions: while an event is live and recorded, the server runs the speech engine on the
 * recorder's audio and pushes each batch of cues to the event room as `captions:cue`. Captions are
 * ephemeral (not versioned live state): a late joiner reads the last few lines over REST,
 * `GET /api/events/:slug/captions`. See docs/protocol.md ("Live captions") and
 * docs/decisions/0022-live-captions.md.
 */

export const CAPTIONS_LIMITS = {
  /** Lines kept per event for late joiners (the newest). */
  keptLines: 20,
  /** Lines the REST answer returns. */
  recentLines: 4,
  /** A browser hides a line this long after it was sent (a pause should not leave old words up). */
  lineTtlMs: 20_000,
  /** How long the server keeps an event's recent lines after the last one (seconds). */
  keepSeconds: 6 * 3600,
} as const;

/** One caption line: a cue of the live transcript. */
export interface CaptionLine {
  /** Seconds from the start of the recording (the live transcript's clock). */
  start: number;
  end: number;
  text: string;
  /** When the server sent it (ISO instant). */
  sentAt: string;
  /**
   * Measured delay: when it was sent minus when its last word was spoken (the recording segment's
   * start plus the cue's end), in ms. Includes the wait for the audio chunk to close.
   */
  delayMs: number;
}

/** `captions:cue`, to the event room, once per batch the engine returns. */
export interface CaptionsCuePayload {
  slug: string;
  cues: CaptionLine[];
  /** When the batch was sent (ISO instant). */
  sentAt: string;
}

/** `GET /api/events/:slug/captions` (participants). */
export interface CaptionsState {
  slug: string;
  /**
   * Whether this event can have live captions: they come from the recording, so an event (or a
   * server) with recording switched off has none.
   */
  available: boolean;
  /** The newest lines, oldest first (at most `CAPTIONS_LIMITS.recentLines`). */
  lines: CaptionLine[];
  /** The server's clock when it answered (ISO), to age the lines without trusting the browser's clock. */
  now: string;
}

export interface CaptionsServerEvents {
  'captions:cue': (payload: CaptionsCuePayload) => void;
}
