/**
 * Transcripts over REST: organizers upload WebVTT or SRT (raw or multipart), bad files are refused
 * with their line numbers and change nothing, single cues are corrected with a kept history, and
 * the transcript is served as WebVTT (parsed back here), text and JSON once the event has ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaptions } from '../../server/src/transcripts/captions.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';

let t: TestApp;
let organizer: Person;

const VTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
<v Wanjiru Kamau>Welcome to the Living Lab &amp; thank you for coming.

00:00:04.500 --> 00:00:09.250
Teachers learn best from each other.

NOTE a comment block is fine

00:00:10.000 --> 00:00:14.000
A learning ecosystem connects
families and schools.
`;

const SRT = `1
00:00:02,000 --> 00:00:05,000
First line from SRT.

2
00:00:06,000 --> 00:00:08,500
Second line from SRT.
`;

function upload(slug: string, body: string | Uint8Array, type: string, who: Person = organizer) {
  return fetch(`${t.url}/api/events/${slug}/transcript`, {
    method: 'PUT',
    headers: { 'content-type': type, ...(who.cookie ? { cookie: who.cookie } : {}) },
    body: typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]),
  });
}

beforeAll(async () => {
  t = await startTestApp();
  const e = await makeEvent(t, 'transcript-setup', 'ended');
  organizer = await personWith(t, 'organizer', e.id);
});
afterAll(() => t.close());

describe('uploading a transcript', () => {
  it('accepts a WebVTT file and serves it back as WebVTT, text and JSON', async () => {
    const e = await makeEvent(t, 'vtt-upload', 'ended');
    const res = await upload(e.slug, VTT, 'text/vtt');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: 1, format: 'vtt', cues: 3 });

    const json = await (await api(t, 'get', `/api/events/${e.slug}/transcript`)).json();
    expect(json.version).toBe(1);
    expect(json.source).toBe('upload-vtt');
    expect(json.cues).toEqual([
      {
        id: 'c1',
        start: 1,
        end: 4,
        text: 'Welcome to the Living Lab & thank you for coming.',
        speaker: 'Wanjiru Kamau',
      },
      { id: 'c2', start: 4.5, end: 9.25, text: 'Teachers learn best from each other.' },
      { id: 'c3', start: 10, end: 14, text: 'A learning ecosystem connects\nfamilies and schools.' },
    ]);

    const vtt = await fetch(`${t.url}/events/${e.slug}/transcript.vtt`);
    expect(vtt.status).toBe(200);
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    const body = await vtt.text();
    expect(body.startsWith('WEBVTT')).toBe(true);
    expect(body).toContain('&amp;'); // escaped in the file
    // Round trip: the served file parses back to the same cues.
    const back = await parseCaptions(new TextEncoder().encode(body), 'text/vtt');
    expect(back.cues).toEqual(json.cues.map(({ id: _id, ...c }: { id: string }) => c));

    const txt = await fetch(`${t.url}/events/${e.slug}/transcript.txt`);
    expect(txt.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await txt.text()).toBe(
      `${e.title}\n\nWelcome to the Living Lab & thank you for coming.\nTeachers learn best from each other.\nA learning ecosystem connects families and schools.\n`,
    );
  });

  it('accepts SRT as a raw body and as a multipart file, each replacing the transcript', async () => {
    const e = await makeEvent(t, 'srt-upload', 'ended');
    expect((await upload(e.slug, SRT, 'application/x-subrip')).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([VTT], { type: 'text/vtt' }), 'panel.vtt');
    const multipart = await fetch(`${t.url}/api/events/${e.slug}/transcript`, {
      method: 'PUT',
      headers: { cookie: organizer.cookie },
      body: form,
    });
    expect(multipart.status).toBe(200);
    expect(await multipart.json()).toEqual({ version: 2, format: 'vtt', cues: 3 });
    const edits = await (
      await api(t, 'get', `/api/events/${e.slug}/transcript/edits`, { cookie: organizer.cookie })
    ).json();
    expect(
      edits.items.map((x: { kind: string; source: string; version: number }) => [x.kind, x.source, x.version]),
    ).toEqual([
      ['replace', 'upload-vtt', 2],
      ['replace', 'upload-srt', 1],
    ]);
  });

  const BAD: [string, string, string, number[]][] = [
    [
      'a bad timestamp',
      'text/vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:0x.000 --> 00:00:04.000\nbad\n',
      [6],
    ],
    [
      'a block without its timing line (SRT)',
      'text/plain',
      `1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbad arrow\n`,
      [6],
    ],
    ['no WEBVTT header nor SRT shape', 'text/vtt', 'Hello there\nthis is not captions\n', [1]],
    ['a cue that ends before it starts', 'text/vtt', 'WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nbackwards\n', [3]],
    [
      'cues out of order',
      'text/vtt',
      'WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nsecond\n\n00:00:01.000 --> 00:00:02.000\nfirst\n',
      [6],
    ],
  ];
  for (const [what, type, body, lines] of BAD) {
    it(`refuses ${what}, naming the line, and stores nothing`, async () => {
      const e = await makeEvent(t, `bad-${what.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`, 'ended');
      expect((await upload(e.slug, VTT, 'text/vtt')).status).toBe(200);
      const res = await upload(e.slug, body, type);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(new RegExp(`^Line ${lines[0]}:`));
      expect(error.issues.map((i: { path: unknown[] }) => i.path[1])).toEqual(lines);
      const after = await (await api(t, 'get', `/api/events/${e.slug}/transcript`)).json();
      expect(after.version).toBe(1);
      expect(after.cues).toHaveLength(3);
    });
  }

  it('refuses the wrong type and a file over 2 MB, storing nothing', async () => {
    const e = await makeEvent(t, 'wrong-type', 'ended');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const asPng = await upload(e.slug, png, 'image/png');
    expect(asPng.status).toBe(415);
    expect((await asPng.json()).error.code).toBe('unsupported_media_type');
    // Binary bytes under an accepted type are still refused as the wrong type.
    const binary = await upload(e.slug, png, 'application/octet-stream');
    expect(binary.status).toBe(415);
    const json = await api(t, 'put', `/api/events/${e.slug}/transcript`, {
      cookie: organizer.cookie,
      body: { cues: [] },
    });
    expect(json.status).toBe(415);
    const big = 'WEBVTT\n\n' + '00:00:01.000 --> 00:00:02.000\n' + 'x'.repeat(2 * 1024 * 1024) + '\n';
    const tooBig = await upload(e.slug, big, 'text/vtt');
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('payload_too_large');
    expect((await api(t, 'get', `/api/events/${e.slug}/transcript`)).status).toBe(404);
  });

  it('lets only organizers upload', async () => {
    const e = await makeEvent(t, 'upload-roles', 'ended');
    for (const role of ['visitor', 'audience', 'speaker', 'moderator'] as const) {
      const who = await personWith(t, role, e.id);
      expect([401, 403]).toContain((await upload(e.slug, VTT, 'text/vtt', who)).status);
    }
    expect((await api(t, 'get', `/api/events/${e.slug}/transcript`)).status).toBe(404);
  });
});

describe('correcting cues', () => {
  it('changes one cue, keeps who and when, and refuses a stale version', async () => {
    const e = await makeEvent(t, 'cue-edit', 'ended');
    await upload(e.slug, VTT, 'text/vtt');
    const res = await api(t, 'patch', `/api/events/${e.slug}/transcript/cues/c2`, {
      cookie: organizer.cookie,
      body: { text: '  Teachers learn best from one another.  ', version: 1 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      version: 2,
      changed: true,
      cue: { id: 'c2', text: 'Teachers learn best from one another.' },
    });
    const stale = await api(t, 'patch', `/api/events/${e.slug}/transcript/cues/c1`, {
      cookie: organizer.cookie,
      body: { text: 'Something else', version: 1 },
    });
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('conflict');

    const transcript = await (await api(t, 'get', `/api/events/${e.slug}/transcript`)).json();
    expect(transcript.version).toBe(2);
    expect(transcript.cues[1].text).toBe('Teachers learn best from one another.');
    expect(transcript.cues[0].text).toBe('Welcome to the Living Lab & thank you for coming.');
    expect(await (await fetch(`${t.url}/events/${e.slug}/transcript.vtt`)).text()).toContain(
      'Teachers learn best from one another.',
    );

    const history = await (
      await api(t, 'get', `/api/events/${e.slug}/transcript/edits`, { cookie: organizer.cookie })
    ).json();
    const edit = history.items[0];
    expect(edit).toMatchObject({
      kind: 'cue',
      version: 2,
      cueId: 'c2',
      before: 'Teachers learn best from each other.',
      after: 'Teachers learn best from one another.',
      by: { userId: organizer.userId, name: 'Org' },
    });
    expect(Date.now() - Date.parse(edit.at)).toBeLessThan(60_000);
    expect(history.items[1]).toMatchObject({ kind: 'replace', version: 1, source: 'upload-vtt', cueCount: 3 });
  });

  it('refuses bad edits with typed errors and changes nothing', async () => {
    const e = await makeEvent(t, 'cue-edit-bad', 'ended');
    await upload(e.slug, VTT, 'text/vtt');
    const cases: [string, unknown, number, string][] = [
      ['c9', { text: 'no such cue' }, 404, 'not_found'],
      ['x1', { text: 'bad id' }, 404, 'not_found'],
      ['c1', { text: '   ' }, 400, 'validation_failed'],
      ['c1', { text: 'y'.repeat(1001) }, 400, 'validation_failed'],
      ['c1', {}, 400, 'validation_failed'],
    ];
    for (const [cue, body, status, code] of cases) {
      const res = await api(t, 'patch', `/api/events/${e.slug}/transcript/cues/${cue}`, {
        cookie: organizer.cookie,
        body,
      });
      expect([cue, res.status]).toEqual([cue, status]);
      expect((await res.json()).error.code).toBe(code);
    }
    const speaker = await personWith(t, 'speaker', e.id);
    const denied = await api(t, 'patch', `/api/events/${e.slug}/transcript/cues/c1`, {
      cookie: speaker.cookie,
      body: { text: 'hijack' },
    });
    expect(denied.status).toBe(403);
    const transcript = await (await api(t, 'get', `/api/events/${e.slug}/transcript`)).json();
    expect(transcript.version).toBe(1);
    expect((await api(t, 'get', `/api/events/${e.slug}/transcript/edits`, { cookie: speaker.cookie })).status).toBe(
      403,
    );
  });
});

describe('who can read it', () => {
  it('is public once the event has ended; before that only staff see it', async () => {
    const e = await makeEvent(t, 'still-live', 'live');
    expect((await upload(e.slug, VTT, 'text/vtt')).status).toBe(200);
    const audience = await personWith(t, 'audience', e.id);
    const moderator = await personWith(t, 'moderator', e.id);
    for (const path of [
      `/api/events/${e.slug}/transcript`,
      `/events/${e.slug}/transcript.vtt`,
      `/events/${e.slug}/transcript.txt`,
    ]) {
      expect((await api(t, 'get', path)).status).toBe(404);
      expect((await api(t, 'get', path, { cookie: audience.cookie })).status).toBe(404);
      expect((await api(t, 'get', path, { cookie: moderator.cookie })).status).toBe(200);
    }
    await t.app.catalogue.store.putEvent({ ...e, status: 'ended' }, 'organizer', e);
    expect((await api(t, 'get', `/events/${e.slug}/transcript.vtt`)).status).toBe(200);
    expect((await api(t, 'get', `/events/no-such-event/transcript.vtt`)).status).toBe(404);
  });
});
