/**
 * One recording segment's captions pipeline: the segment's WebM chunks (in order, from chunk 0,
 * which carries the stream's header) go into an ffmpeg decoder, whose 16 kHz PCM goes into a
 * LiveTranscriber; each batch of cues comes back on the segment's own clock (0 = the segment's
 * first sample).
 */
import type { CueInput } from '@colloquy/shared';
import type { ChunkInfo, LiveTranscriber } from '../transcripts/live.ts';
import { createPcmDecoder } from '../transcripts/live.ts';

export interface SegmentCaptionerOptions {
  /** Makes the transcriber, given where its cues and errors go. */
  transcriber(handlers: {
    onCues: (cues: CueInput[], chunk: ChunkInfo) => void;
    onError: (err: unknown, chunk: { start: number; end: number }) => void;
  }): LiveTranscriber;
  onCues(cues: CueInput[], chunk: ChunkInfo): void;
  onError(err: unknown, where: string): void;
}

export class SegmentCaptioner {
  private readonly transcriber: LiveTranscriber;
  private readonly decoder: ReturnType<typeof createPcmDecoder>;
  private finishing: Promise<void> | null = null;
  private broken = false;

  constructor(o: SegmentCaptionerOptions) {
    this.transcriber = o.transcriber({
      onCues: o.onCues,
      onError: (err, chunk) => o.onError(err, `transcribing ${chunk.start.toFixed(1)}–${chunk.end.toFixed(1)} s`),
    });
    this.decoder = createPcmDecoder(
      (pcm) => {
        if (this.finishing && this.broken) return;
        try {
          this.transcriber.pushPcm(pcm);
        } catch (err) {
          this.broken = true;
          o.onError(err, 'queueing audio');
        }
      },
      (err) => {
        this.broken = true;
        o.onError(err, 'decoding');
      },
    );
  }

  /** The next chunk's bytes (the caller keeps them in order). */
  write(data: Buffer): void {
    if (this.finishing || this.broken) return;
    this.decoder.write(data);
  }

  /** Transcribes the audio waiting for a pause now (a pause in the chunks, not in the speech). */
  flush(): Promise<void> {
    if (this.finishing) return this.finishing;
    return this.transcriber.flush();
  }

  /** Ends the stream: decodes what is left, transcribes it, and resolves when every cue is out. */
  finish(): Promise<void> {
    this.finishing ??= (async () => {
      await this.decoder.end();
      await this.transcriber.close();
    })();
    return this.finishing;
  }

  /** Stops at once (server shutdown): nothing more is decoded; queued transcription still ends. */
  kill(): Promise<void> {
    this.broken = true;
    this.decoder.kill();
    return this.finish();
  }
}
