import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';

let t: TestApp;
let organizer: Person;
let moderator: Person;

const eventBody = (over: object = {}) => ({
  slug: 'new-panel',
  title: 'A new panel',
  description: 'About *things*',
  startsAt: '2031-03-01T12:00:00Z',
  endsAt: '2031-03-01T13:30:00Z',
  timeZone: 'Asia/Beirut',
  status: 'scheduled',
  seriesId: null,
  speakerIds: [],
  location: 'Online',
  ...over,
});

beforeAll(async () => {
  t = await startTestApp();
  const ev = await makeEvent(t, 'anchor', 'scheduled');
  organizer = await personWith(t, 'organizer', ev.id);
  moderator = await personWith(t, 'moderator', ev.id);
});
afterAll(() => t.close());

describe('admin catalogue', () => {
  it('creates a series, a speaker and an event that the public API then shows', async () => {
    const series = (await (
      await api(t, 'post', '/api/admin/series', {
        cookie: organizer.cookie,
        body: { slug: 'beirut-talks', title: 'Beirut Talks', description: 'x' },
      })
    ).json()) as { id: string };
    const speaker = await api(t, 'post', '/api/admin/speakers', {
      cookie: organizer.cookie,
      body: {
        slug: 'rania-haddad',
        name: 'Rania Haddad',
        title: 'Principal',
        organization: 'School',
        country: 'LB',
        bio: 'Bio',
        photoUrl: null,
      },
    });
    expect(speaker.status).toBe(201);
    const speakerId = ((await speaker.json()) as { id: string }).id;
    const created = await api(t, 'post', '/api/admin/events', {
      cookie: organizer.cookie,
      body: eventBody({ seriesId: series.id, speakerIds: [speakerId] }),
    });
    expect(created.status).toBe(201);
    const pub = (await (await api(t, 'get', '/api/events/new-panel')).json()) as {
      series: { slug: string };
      speakers: { name: string }[];
      descriptionHtml: string;
    };
    expect(pub.series.slug).toBe('beirut-talks');
    expect(pub.speakers.map((s) => s.name)).toEqual(['Rania Haddad']);
    expect(pub.descriptionHtml).toContain('<em>things</em>');
  });

  it('renders descriptions only from Markdown: a descriptionHtml in the body is ignored', async () => {
    const forged = await api(t, 'post', '/api/admin/series', {
      cookie: organizer.cookie,
      body: {
        slug: 'forged-html',
        title: 'Forged',
        description: 'plain *text*',
        descriptionHtml: '<script>alert(1)</script>',
      },
    });
    expect(forged.status).toBe(201);
    const pub = (await (await api(t, 'get', '/api/series/forged-html')).json()) as { descriptionHtml: string };
    expect(pub.descriptionHtml).toBe('<p>plain <em>text</em></p>\n');
  });

  it('refuses a taken slug with 409, and a bad body with 400 naming the fields', async () => {
    const dup = await api(t, 'post', '/api/admin/events', { cookie: organizer.cookie, body: eventBody() });
    expect(dup.status).toBe(409);
    const bad = await api(t, 'post', '/api/admin/events', {
      cookie: organizer.cookie,
      body: eventBody({ slug: 'Bad Slug', timeZone: 'Mars/Olympus', endsAt: '2031-03-01T11:00:00Z' }),
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { issues: { path: string[] }[] } }).error.issues.map((i) =>
      i.path.join('.'),
    );
    expect(paths).toEqual(expect.arrayContaining(['slug', 'timeZone']));
    const unknownSpeaker = await api(t, 'post', '/api/admin/events', {
      cookie: organizer.cookie,
      body: eventBody({ slug: 'x-1', speakerIds: ['nope'] }),
    });
    expect(unknownSpeaker.status).toBe(400);
  });

  it('updates and deletes; deleting a series keeps its events', async () => {
    const events = (await (await api(t, 'get', '/api/admin/events', { cookie: organizer.cookie })).json()) as {
      items: { id: string; slug: string; seriesId: string | null }[];
    };
    const ev = events.items.find((e) => e.slug === 'new-panel')!;
    const renamed = await api(t, 'put', `/api/admin/events/${ev.id}`, {
      cookie: organizer.cookie,
      body: eventBody({ slug: 'renamed-panel', seriesId: ev.seriesId }),
    });
    expect(renamed.status).toBe(200);
    expect((await api(t, 'get', '/api/events/new-panel')).status).toBe(404);
    expect((await api(t, 'get', '/api/events/renamed-panel')).status).toBe(200);
    expect((await api(t, 'delete', `/api/admin/series/${ev.seriesId}`, { cookie: organizer.cookie })).status).toBe(204);
    expect(
      ((await (await api(t, 'get', '/api/events/renamed-panel')).json()) as { series: unknown }).series,
    ).toBeNull();
    expect((await api(t, 'delete', `/api/admin/events/${ev.id}`, { cookie: organizer.cookie })).status).toBe(204);
    expect((await api(t, 'get', '/api/events/renamed-panel')).status).toBe(404);
  });

  it('refuses a moderator, changing nothing', async () => {
    const res = await api(t, 'post', '/api/admin/events', {
      cookie: moderator.cookie,
      body: eventBody({ slug: 'sneaky' }),
    });
    expect(res.status).toBe(403);
    expect((await api(t, 'get', '/api/events/sneaky')).status).toBe(404);
  });
});

describe('speaker photos', () => {
  let speakerId: string;
  const upload = (body: Uint8Array | string, headers: Record<string, string> = {}, cookie = organizer.cookie) =>
    fetch(`${t.url}/api/admin/speakers/${speakerId}/photo`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/octet-stream', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  beforeAll(async () => {
    const res = await api(t, 'post', '/api/admin/speakers', {
      cookie: organizer.cookie,
      body: {
        slug: 'photo-person',
        name: 'Photo Person',
        title: '',
        organization: '',
        country: 'KE',
        bio: '',
        photoUrl: null,
      },
    });
    speakerId = ((await res.json()) as { id: string }).id;
  });

  it('re-encodes an image to WebP at fixed sizes and strips its metadata', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret-location', Artist: 'someone' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await upload(jpeg, { 'content-type': 'text/plain', 'x-filename': 'me.jpg' });
    expect(res.status).toBe(200);
    const { photoUrl } = (await res.json()) as { photoUrl: string };
    expect(photoUrl).toMatch(/^\/media\/speakers\/.+-256\.webp$/);
    const served = await fetch(t.url + photoUrl);
    expect(served.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    expect(meta.exif).toBeUndefined();
    for (const size of [96, 512])
      expect((await fetch(t.url + photoUrl.replace('-256.', `-${size}.`))).status).toBe(200);
    expect(((await (await api(t, 'get', '/api/speakers/photo-person')).json()) as { photoUrl: string }).photoUrl).toBe(
      photoUrl,
    );
  });

  it('reads a speaker back, and removes the photo on request', async () => {
    const one = (await (
      await api(t, 'get', `/api/admin/speakers/${speakerId}`, { cookie: organizer.cookie })
    ).json()) as { photoUrl: string | null };
    expect(one.photoUrl).toMatch(/\.webp$/);
    const removed = await api(t, 'delete', `/api/admin/speakers/${speakerId}/photo`, { cookie: organizer.cookie });
    expect(((await removed.json()) as { photoUrl: string | null }).photoUrl).toBeNull();
  });

  it('ignores a photo URL given in a speaker body', async () => {
    const res = await api(t, 'post', '/api/admin/speakers', {
      cookie: organizer.cookie,
      body: {
        slug: 'url-person',
        name: 'URL',
        title: '',
        organization: '',
        country: 'KE',
        bio: '',
        photoUrl: 'javascript:alert(1)',
      },
    });
    expect(((await res.json()) as { photoUrl: string | null }).photoUrl).toBeNull();
  });

  it('refuses something that is not an image, whatever it claims', async () => {
    const res = await upload('<svg onload=alert(1)>', { 'content-type': 'image/png' });
    expect(res.status).toBe(415);
  });

  it('refuses more than 5 MB', async () => {
    expect((await upload(Buffer.alloc(5 * 1024 * 1024 + 10, 1))).status).toBe(413);
  });

  it('refuses a path in the file name', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const res = await upload(png, { 'x-filename': '../../etc/passwd' });
    expect(res.status).toBe(400);
  });

  it('refuses a non-organizer before reading the upload', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await upload(png, {}, moderator.cookie)).status).toBe(403);
  });
});

describe('media serving', () => {
  it('does not serve files outside the media folder', async () => {
    const outside = path.join(os.tmpdir(), 'colloquy-outside.txt');
    fs.writeFileSync(outside, 'secret');
    expect((await fetch(`${t.url}/media/..%2f..%2fcolloquy-outside.txt`)).status).toBe(404);
  });
});
