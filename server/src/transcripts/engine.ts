/**
 * The transcriber interface: an audio or video file in, timed cues out. Two engines implement it:
 * pocketsphinx (offline, the default) and any OpenAI-compatible `/v1/audio/transcriptions`
 * endpoint. `createTranscriber(config)` picks one from the configuration.
 */
import type { CueInput, TranscriptSource } from '@colloquy/shared';
import type { Config } from '../config/index.ts';
import { OpenAiTranscriber } from './openai.ts';
import { PocketsphinxTranscriber } from './pocketsphinx.ts';

export interface TranscribeOptions {
  /** BCP 47 language; pocketsphinx has only its English model and ignores it. */
  language?: string;
  /** Added to every time (a chunk that starts `offset` seconds into the recording). */
  offset?: number;
  signal?: AbortSignal;
  /** 0..1 as the work advances (for processing progress). */
  onProgress?: (fraction: number) => void;
}

export interface Transcriber {
  readonly source: TranscriptSource;
  /** Cues in time order, each with word timings when the engine gives them. */
  transcribe(audioFile: string, opts?: TranscribeOptions): Promise<CueInput[]>;
}

export type TranscribeConfig = Config['transcribe'];

export function createTranscriber(config: TranscribeConfig | undefined): Transcriber {
  if (config?.url) {
    return new OpenAiTranscriber({
      url: config.url,
      apiKey: config.apiKey,
      model: config.model,
    });
  }
  return new PocketsphinxTranscriber();
}
