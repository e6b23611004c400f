/**
 * Transcript routes. Reading is public once the event has ended (staff can read it before);
 * replacing (an upload), correcting a cue and reading the history are for organizers.
 *
 *   GET   /events/:slug/transcript.vtt                 WebVTT
 *   GET   /events/:slug/transcript.txt                 plain text, one cue per line
 *   GET   /api/events/:slug/transcript                 JSON Transcript
 *   PUT   /api/events/:slug/transcript                 WebVTT or SRT as the raw body or a multipart `file` (≤ 2 MB)
 *   PATCH /api/events/:slug/transcript/cues/:cueId     { text, version? }
 *   GET   /api/events/:slug/transcript/edits           TranscriptEdit[] (newest first)
 */
import express, { type Request } from 'express';
import { CueEditInput, CueId, TRANSCRIPT_LIMITS, type Role } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { Guarded, GuardedRouter } from '../http/guard.ts';
import type { EventRecord } from '../events/store.ts';
import { acceptedContentType, CaptionsError, toVtt } from './captions.ts';
import { cuesToText } from './cues.ts';
import type { Editor, Transcripts } from './transcripts.ts';

const STAFF: readonly Role[] = ['moderator', 'organizer'];

/** The transcript of `g.event` if this caller may read it now, else a 404 that says why. */
async function readable(transcripts: Transcripts, g: Guarded) {
  const event = g.event!;
  if (event.status !== 'ended' && !STAFF.includes(g.role)) {
    throw new AppError('not_found', 'The transcript is published once the event has ended');
  }
  const transcript = await transcripts.get(event.id);
  if (!transcript) throw new AppError('not_found', 'This event has no transcript yet');
  return { event, transcript };
}

const editor = (g: Guarded): Editor => ({ userId: g.principal?.userId ?? null, name: g.principal?.displayName ?? '' });

const filename = (event: EventRecord, ext: string) => `${event.slug}-transcript.${ext}`;

/** The uploaded file: a multipart `file` field, or the raw body with its declared type. */
async function uploaded(req: Request): Promise<{ bytes: Uint8Array; type: string | undefined }> {
  const type = req.get('content-type');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (type?.toLowerCase().startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    } catch {
      throw new AppError('bad_request', 'The multipart body could not be read');
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new AppError('validation_failed', 'Attach the file in a field named "file"');
    return { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type };
  }
  if (!acceptedContentType(type))
    throw new AppError('unsupported_media_type', 'Upload a WebVTT (.vtt) or SRT (.srt) file');
  return { bytes: body, type };
}

export function transcriptRoutes(api: GuardedRouter, root: GuardedRouter, transcripts: Transcripts): void {
  root.route(
    'get',
    '/events/:slug/transcript.vtt',
    'transcript:read',
    async (_req, res, g) => {
      const { event, transcript } = await readable(transcripts, g);
      res
        .type('text/vtt; charset=utf-8')
        .set('Cache-Control', 'no-cache')
        .set('ETag', `"t${transcript.version}"`)
        .set('Access-Control-Allow-Origin', '*')
        .attachment(filename(event, 'vtt'))
        .send(toVtt(transcript.cues));
    },
    { eventParam: 'slug' },
  );
  root.route(
    'get',
    '/events/:slug/transcript.txt',
    'transcript:read',
    async (_req, res, g) => {
      const { event, transcript } = await readable(transcripts, g);
      res
        .type('text/plain; charset=utf-8')
        .set('Cache-Control', 'no-cache')
        .attachment(filename(event, 'txt'))
        .send(`${event.title}\n\n${cuesToText(transcript.cues)}`);
    },
    { eventParam: 'slug' },
  );

  api.route(
    'get',
    '/events/:slug/transcript',
    'transcript:read',
    async (_req, res, g) => {
      const { transcript } = await readable(transcripts, g);
      res.json(transcript);
    },
    { eventParam: 'slug' },
  );

  const raw = express.raw({ type: () => true, limit: TRANSCRIPT_LIMITS.uploadBytes + 64 * 1024 });
  api.route(
    'put',
    '/events/:slug/transcript',
    'transcript:manage',
    async (req, res, g) => {
      const { bytes, type } = await uploaded(req);
      if (bytes.length === 0) throw new AppError('validation_failed', 'The upload is empty');
      try {
        const r = await transcripts.importCaptions(g.event!.id, bytes, type, editor(g));
        res.json(r);
      } catch (err) {
        if (!(err instanceof CaptionsError)) throw err;
        if (err.kind === 'type') throw new AppError('unsupported_media_type', err.message);
        if (err.kind === 'size') throw new AppError('payload_too_large', err.message);
        throw new AppError('validation_failed', err.message, err.issues);
      }
    },
    { eventParam: 'slug', body: raw },
  );

  api.route(
    'patch',
    '/events/:slug/transcript/cues/:cueId',
    'transcript:manage',
    async (req, res, g) => {
      const cueId = CueId.safeParse(req.params.cueId);
      if (!cueId.success) throw new AppError('not_found', 'No cue with that id');
      const input = parseOrThrow(CueEditInput, req.body, 'cue');
      const r = await transcripts.editCue(g.event!.id, cueId.data, input.text, editor(g), input.version);
      if (!r.ok) throw new AppError(r.code, r.message);
      res.json({ version: r.version, changed: r.changed, cue: { id: cueId.data, text: input.text } });
    },
    { eventParam: 'slug' },
  );

  api.route(
    'get',
    '/events/:slug/transcript/edits',
    'transcript:manage',
    async (_req, res, g) => {
      res.json({ items: await transcripts.edits(g.event!.id) });
    },
    { eventParam: 'slug' },
  );
}
