/**
 * The endpoint engine against a stand-in for a paid outside service: a small HTTP server in this
 * test implements OpenAI's `POST /v1/audio/transcriptions` (multipart upload, bearer key,
 * `response_format=verbose_json` with segments and words). No outside service is called.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config/index.ts';
import { createTranscriber } from '../../server/src/transcripts/engine.ts';
import { OpenAiTranscriber, TranscribeHttpError } from '../../server/src/transcripts/openai.ts';
import { PocketsphinxTranscriber } from '../../server/src/transcripts/pocketsphinx.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { spokenWav } from '../support/speech.ts';

const KEY = 'sk-test-standin-key';

interface Received {
  auth: string | undefined;
  fields: Record<string, string[]>;
  file: { name: string; type: string; bytes: Buffer } | null;
}

let standIn: http.Server;
let base: string;
let received: Received[] = [];
let failNext = 0;
let t: TestApp;
let wav: string;

/** Answers like the real endpoint: segments with their words, times relative to the upload. */
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
    res.writeHead(404).end();
    return;
  }
  if (req.headers.authorization !== `Bearer ${KEY}`) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad key"}}');
    return;
  }
  if (failNext > 0) {
    failNext--;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}');
    return;
  }
  const form = await new Response(Buffer.concat(chunks), {
    headers: { 'content-type': req.headers['content-type']! },
  }).formData();
  const fields: Record<string, string[]> = {};
  let file: Received['file'] = null;
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string') (fields[k] ??= []).push(v);
    else file = { name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) };
  }
  received.push({ auth: req.headers.authorization, fields, file });
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      task: 'transcribe',
      language: 'english',
      duration: 8,
      text: 'Welcome to the Living Lab. Teachers learn from each other.',
      segments: [
        { id: 0, start: 0.2, end: 2.4, text: ' Welcome to the Living Lab.' },
        { id: 1, start: 3.0, end: 6.1, text: ' Teachers learn from each other.' },
      ],
      words: [
        { word: 'Welcome', start: 0.2, end: 0.7 },
        { word: 'to', start: 0.7, end: 0.8 },
        { word: 'the', start: 0.8, end: 0.9 },
        { word: 'Living', start: 0.9, end: 1.4 },
        { word: 'Lab.', start: 1.4, end: 2.4 },
        { word: 'Teachers', start: 3.0, end: 3.6 },
        { word: 'learn', start: 3.6, end: 4.1 },
        { word: 'from', start: 4.1, end: 4.4 },
        { word: 'each', start: 4.4, end: 4.8 },
        { word: 'other.', start: 4.8, end: 6.1 },
      ],
    }),
  );
}

beforeAll(async () => {
  standIn = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}/v1`;
  [t, wav] = await Promise.all([startTestApp(), spokenWav()]);
}, 120_000);
afterAll(async () => {
  await t.close();
  await new Promise((r) => standIn.close(r));
});

describe('configuration', () => {
  it('reads TRANSCRIBE_URL, TRANSCRIBE_API_KEY and TRANSCRIBE_MODEL and picks the engine from them', () => {
    const plain = loadConfig({});
    expect(plain.transcribe).toEqual({ url: undefined, apiKey: undefined, model: 'whisper-1' });
    expect(createTranscriber(plain.transcribe)).toBeInstanceOf(PocketsphinxTranscriber);
    const set = loadConfig({ TRANSCRIBE_URL: base, TRANSCRIBE_API_KEY: KEY, TRANSCRIBE_MODEL: 'whisper-large-v3' });
    expect(set.transcribe).toEqual({ url: base, apiKey: KEY, model: 'whisper-large-v3' });
    expect(createTranscriber(set.transcribe)).toBeInstanceOf(OpenAiTranscriber);
    expect(() => loadConfig({ TRANSCRIBE_URL: 'ftp://example.org' })).toThrow(/TRANSCRIBE_URL/);
  });
});

describe('an OpenAI-compatible endpoint (stand-in)', () => {
  it('uploads 16 kHz mono WAV with the model and verbose_json, and stores cues with word timings', async () => {
    received = [];
    const engine = createTranscriber({ url: base, apiKey: KEY, model: 'whisper-1' });
    const e = await makeEvent(t, 'openai-panel', 'ended');
    const run = await t.app.transcripts.transcribeRecording(e.id, wav, { engine, language: 'en-GB' });
    expect(received).toHaveLength(1); // a 20 s recording goes in one piece
    const r = received[0]!;
    expect(r.fields.model).toEqual(['whisper-1']);
    expect(r.fields.response_format).toEqual(['verbose_json']);
    expect(r.fields['timestamp_granularities[]']).toEqual(['segment', 'word']);
    expect(r.fields.language).toEqual(['en']);
    expect(r.file!.type).toBe('audio/wav');
    const bytes = r.file!.bytes;
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt16LE(22)).toBe(1); // mono
    expect(bytes.readUInt32LE(24)).toBe(16_000);

    const transcript = (await t.app.transcripts.get(e.id))!;
    expect(run.cues).toBe(2);
    expect(transcript.source).toBe('openai');
    expect(transcript.cues.map((c) => [c.id, c.start, c.end, c.text, c.words?.length])).toEqual([
      ['c1', 0.2, 2.4, 'Welcome to the Living Lab.', 5],
      ['c2', 3, 6.1, 'Teachers learn from each other.', 5],
    ]);
  });

  it('sends long recordings in pieces and puts each piece at its offset', async () => {
    received = [];
    const engine = new OpenAiTranscriber({
      url: `${base}/audio/transcriptions`,
      apiKey: KEY,
      model: 'm',
      chunkSeconds: 8,
    });
    const cues = await engine.transcribe(wav);
    expect(received.length).toBe(3); // about 20 s in 8 s pieces
    expect(cues.map((c) => c.start)).toEqual([0.2, 3, 8.2, 11, 16.2, 19]);
  });

  it('reports the endpoint refusing, and stores nothing', async () => {
    const e = await makeEvent(t, 'openai-refused', 'ended');
    const wrongKey = createTranscriber({ url: base, apiKey: 'nope', model: 'whisper-1' });
    await expect(t.app.transcripts.transcribeRecording(e.id, wav, { engine: wrongKey })).rejects.toThrow(
      TranscribeHttpError,
    );
    failNext = 1;
    const engine = createTranscriber({ url: base, apiKey: KEY, model: 'whisper-1' });
    await expect(t.app.transcripts.transcribeRecording(e.id, wav, { engine })).rejects.toMatchObject({ status: 500 });
    expect(await t.app.transcripts.get(e.id)).toBeNull();
  });
});
