import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from 'livekit-server-sdk';
import { inject } from 'vitest';
import type { JoinResult, LivekitTokenResponse, Registration } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, cookieFrom, makeEvent, personWith, type Person } from '../support/people.ts';
import { disconnectedWithin, socketFor } from '../support/sockets.ts';

let t: TestApp;
let organizer: Person;
let live: Awaited<ReturnType<typeof makeEvent>>;
let upcoming: Awaited<ReturnType<typeof makeEvent>>;

beforeAll(async () => {
  t = await startTestApp();
  live = await makeEvent(t, 'live-panel', 'live');
  upcoming = await makeEvent(t, 'soon-panel', 'scheduled');
  organizer = await personWith(t, 'organizer', live.id);
});
afterAll(() => t.close());

const join = (slug: string, body: object, cookie = '') => api(t, 'post', `/api/events/${slug}/join`, { body, cookie });
const token = async (slug: string, cookie: string) => api(t, 'post', `/api/events/${slug}/livekit-token`, { cookie });
const decode = async (jwt: string) => {
  const { apiKey, apiSecret } = inject('livekit');
  return new TokenVerifier(apiKey, apiSecret).verify(jwt);
};

describe('open events', () => {
  it('lets a guest join with a name and become audience', async () => {
    const res = await join('live-panel', { mode: 'open', displayName: 'Fatima from Rabat' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as JoinResult;
    expect(body).toEqual({ role: 'audience', calendarUrl: `${t.url}/events/live-panel/calendar.ics` });
    expect(await (await api(t, 'get', '/api/events/live-panel/role', { cookie: cookieFrom(res) })).json()).toEqual({
      role: 'audience',
      displayName: 'Fatima from Rabat',
    });
  });

  it('refuses a join that does not match the event’s mode', async () => {
    const res = await join('live-panel', { mode: 'passcode', displayName: 'X', passcode: '1234' });
    expect(res.status).toBe(400);
  });
});

describe('LiveKit tokens', () => {
  it('gives the audience a subscribe-only token while the event is live', async () => {
    const cookie = cookieFrom(await join('live-panel', { mode: 'open', displayName: 'Kofi' }));
    const res = await token('live-panel', cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as LivekitTokenResponse;
    const claims = await decode(body.token);
    expect(claims.sub).toBe(body.identity);
    expect(claims.name).toBe('Kofi');
    expect(claims.video).toMatchObject({
      room: `event-${live.id}`,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
      canPublishSources: [],
      roomAdmin: false,
      roomRecord: false,
    });
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(600);
  });

  it('refuses the audience a token before the event is live', async () => {
    const cookie = cookieFrom(await join('soon-panel', { mode: 'open', displayName: 'Early bird' }));
    const res = await token('soon-panel', cookie);
    expect(res.status).toBe(403);
  });

  it('gives a speaker camera, microphone and screen share, and still no data channel or admin', async () => {
    const speaker = await personWith(t, 'speaker', upcoming.id, 'Dr. Speaker');
    const res = await token('soon-panel', speaker.cookie);
    expect(res.status).toBe(200);
    const claims = await decode(((await res.json()) as LivekitTokenResponse).token);
    expect(claims.video).toMatchObject({
      canPublish: true,
      canPublishData: false,
      canSubscribe: true,
      roomAdmin: false,
    });
    expect([...(claims.video!.canPublishSources ?? [])].sort()).toEqual([
      'camera',
      'microphone',
      'screen_share',
      'screen_share_audio',
    ]);
  });

  it('refuses a visitor and an audience member of another event', async () => {
    expect((await token('live-panel', '')).status).toBe(401);
    const elsewhere = await personWith(t, 'audience', upcoming.id);
    expect((await token('live-panel', elsewhere.cookie)).status).toBe(403);
  });
});

describe('registration', () => {
  it('needs consent, then registers, returns a personal join link, and organizers can export it', async () => {
    const settings = await api(t, 'put', `/api/admin/events/${upcoming.id}/access`, {
      cookie: organizer.cookie,
      body: { mode: 'registration' },
    });
    expect(await settings.json()).toEqual({ mode: 'registration', hasPasscode: false });
    expect(await (await api(t, 'get', '/api/events/soon-panel/access')).json()).toEqual({
      mode: 'registration',
      hasPasscode: false,
    });

    const noConsent = await join('soon-panel', { mode: 'registration', displayName: 'A', email: 'a@example.org' });
    expect(noConsent.status).toBe(400);

    const res = await join('soon-panel', {
      mode: 'registration',
      displayName: '=HYPERLINK("http://evil")',
      email: 'Grace@Example.org',
      organization: 'Accra Heads',
      country: 'GH',
      consent: true,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as JoinResult;
    expect(body.personalJoinUrl).toMatch(/\/events\/soon-panel\/join\?t=/);

    const list = (await (
      await api(t, 'get', `/api/admin/events/${upcoming.id}/registrations`, { cookie: organizer.cookie })
    ).json()) as { items: Registration[] };
    expect(list.items).toMatchObject([{ email: 'grace@example.org', organization: 'Accra Heads', country: 'GH' }]);

    const csv = await api(t, 'get', `/api/admin/events/${upcoming.id}/registrations.csv`, { cookie: organizer.cookie });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe('name,email,organization,country,registered_at,consent_at');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);

    // The personal link makes any browser this person's audience seat.
    const personal = new URL(body.personalJoinUrl!).searchParams.get('t')!;
    const elsewhere = await api(t, 'post', '/api/events/soon-panel/join/personal', { body: { token: personal } });
    expect(elsewhere.status).toBe(200);
    expect(
      await (await api(t, 'get', '/api/events/soon-panel/role', { cookie: cookieFrom(elsewhere) })).json(),
    ).toMatchObject({ role: 'audience' });
    const wrongEvent = await api(t, 'post', '/api/events/live-panel/join/personal', { body: { token: personal } });
    expect(wrongEvent.status).toBe(404);
  });
});

describe('passcode events', () => {
  it('admits only with the right passcode', async () => {
    const ev = await makeEvent(t, 'closed-panel', 'live');
    expect(
      (
        await api(t, 'put', `/api/admin/events/${ev.id}/access`, {
          cookie: organizer.cookie,
          body: { mode: 'passcode' },
        })
      ).status,
    ).toBe(400);
    await api(t, 'put', `/api/admin/events/${ev.id}/access`, {
      cookie: organizer.cookie,
      body: { mode: 'passcode', passcode: 'doha-2021' },
    });
    const wrong = await join('closed-panel', { mode: 'passcode', displayName: 'Guess', passcode: 'paris' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.clone().json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(
      ['passcode'],
    );
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const right = await join('closed-panel', { mode: 'passcode', displayName: 'Guest', passcode: 'doha-2021' });
    expect(right.status).toBe(201);
  });
});

describe('removing a person', () => {
  it('lets a moderator ban an audience member: sockets cut within a second, no rejoin, no token', async () => {
    const moderator = await personWith(t, 'moderator', live.id);
    const joined = await join('live-panel', { mode: 'open', displayName: 'Troll' });
    const cookie = cookieFrom(joined);
    const me = (await (await api(t, 'get', '/api/auth/me', { cookie })).json()) as { user: { id: string } };
    const socket = await socketFor(t.url, cookie);
    const cut = disconnectedWithin(socket, 1000);
    const ban = await api(t, 'post', '/api/events/live-panel/bans', {
      cookie: moderator.cookie,
      body: { userId: me.user.id },
    });
    expect(ban.status).toBe(204);
    expect(await cut).toBeLessThan(1000);
    expect((await join('live-panel', { mode: 'open', displayName: 'Troll again' }, cookie)).status).toBe(403);
    expect((await token('live-panel', cookie)).status).toBe(403);
    const s2 = await socketFor(t.url, cookie);
    expect(await s2.timeout(2000).emitWithAck('event:subscribe', { slug: 'live-panel' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    s2.disconnect();
  });

  it('does not let a moderator remove another moderator or an organizer', async () => {
    const a = await personWith(t, 'moderator', live.id);
    const b = await personWith(t, 'moderator', live.id);
    expect(
      (await api(t, 'post', '/api/events/live-panel/bans', { cookie: a.cookie, body: { userId: b.userId } })).status,
    ).toBe(403);
    expect(
      (await api(t, 'post', '/api/events/live-panel/bans', { cookie: a.cookie, body: { userId: organizer.userId } }))
        .status,
    ).toBe(403);
  });
});
