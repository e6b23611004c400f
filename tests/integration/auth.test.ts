import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, cookieFrom } from '../support/people.ts';
import { disconnectedWithin, socketFor } from '../support/sockets.ts';

let t: TestApp;
const EMAIL = 'lead@example.org';
const PASSWORD = 'a long enough password';

beforeAll(async () => {
  t = await startTestApp();
  await t.app.auth.organizers.create(EMAIL, 'Lead Organizer', PASSWORD);
});
afterAll(() => t.close());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  api(t, 'post', '/api/auth/login', { body: { email, password }, headers });

describe('organizer login', () => {
  it('sets an httpOnly, SameSite=Lax session cookie and /me shows the organizer', async () => {
    const res = await login(EMAIL.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/colloquy_session=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // the test app's public URL is http
    const me = await (await api(t, 'get', '/api/auth/me', { cookie: cookieFrom(res) })).json();
    expect(me).toMatchObject({ user: { kind: 'organizer', email: EMAIL, displayName: 'Lead Organizer' } });
  });

  it('answers a wrong password and an unknown email alike, with 401', async () => {
    const wrong = await login('someone@example.org', 'whatever-wrong');
    const unknown = await login('nobody@example.org', 'whatever-wrong');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      ((await unknown.json()) as { error: { message: string } }).error.message,
    );
  });

  it('answers ten wrong passwords for one account within a minute, then 429 with Retry-After, even for the right one', async () => {
    const victim = 'victim@example.org';
    await t.app.auth.organizers.create(victim, 'Victim', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(victim, `wrong-${i}-password`)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await login(victim, 'wrong-again-password');
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await eleventh.json()) as { error: { code: string; retryAfterMs: number } }).error).toMatchObject({
      code: 'rate_limited',
    });
    expect((await login(victim, PASSWORD)).status).toBe(429);
    // Other accounts are not locked by it.
    expect((await login(EMAIL, PASSWORD)).status).toBe(200);
  });

  it('rejects malformed login bodies with 400 and the issues', async () => {
    const res = await api(t, 'post', '/api/auth/login', { body: { email: 'not-an-email', password: '' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: unknown[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.length).toBe(2);
  });
});

describe('cross-site requests', () => {
  it('refuses a cross-origin form post and changes nothing', async () => {
    const res = await login(EMAIL, PASSWORD, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a request the browser marks cross-site', async () => {
    expect((await login(EMAIL, PASSWORD, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('accepts the app’s own origin', async () => {
    expect((await login(EMAIL, PASSWORD, { origin: t.url })).status).toBe(200);
  });
});

describe('logout', () => {
  it('ends the session and cuts its sockets within a second', async () => {
    const cookie = cookieFrom(await login(EMAIL, PASSWORD));
    const socket = await socketFor(t.url, cookie);
    expect(await socket.timeout(2000).emitWithAck('session:whoami', {})).toMatchObject({
      ok: true,
      data: { kind: 'organizer' },
    });
    const cut = disconnectedWithin(socket, 1000);
    expect((await api(t, 'post', '/api/auth/logout', { cookie })).status).toBe(204);
    expect(await cut).toBeLessThan(1000);
    expect(await (await api(t, 'get', '/api/auth/me', { cookie })).json()).toEqual({ user: null });
  });

  it('logs out everywhere: every session of the account ends', async () => {
    const a = cookieFrom(await login(EMAIL, PASSWORD));
    const b = cookieFrom(await login(EMAIL, PASSWORD));
    const sb = await socketFor(t.url, b);
    const cut = disconnectedWithin(sb, 1000);
    expect((await api(t, 'post', '/api/auth/logout-all', { cookie: a })).status).toBe(204);
    await cut;
    for (const c of [a, b])
      expect(await (await api(t, 'get', '/api/auth/me', { cookie: c })).json()).toEqual({ user: null });
  });
});

describe('password change', () => {
  it('needs the current password, then ends other sessions and keeps this browser signed in', async () => {
    await t.app.auth.organizers.create('changer@example.org', 'Changer', PASSWORD);
    const mine = cookieFrom(await login('changer@example.org', PASSWORD));
    const other = cookieFrom(await login('changer@example.org', PASSWORD));
    const wrong = await api(t, 'post', '/api/auth/password', {
      cookie: mine,
      body: { currentPassword: 'nope', newPassword: 'another long password' },
    });
    expect(wrong.status).toBe(401);
    const short = await api(t, 'post', '/api/auth/password', {
      cookie: mine,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    const ok = await api(t, 'post', '/api/auth/password', {
      cookie: mine,
      body: { currentPassword: PASSWORD, newPassword: 'another long password' },
    });
    expect(ok.status).toBe(204);
    const fresh = cookieFrom(ok);
    expect(await (await api(t, 'get', '/api/auth/me', { cookie: fresh })).json()).toMatchObject({
      user: { kind: 'organizer' },
    });
    expect(await (await api(t, 'get', '/api/auth/me', { cookie: other })).json()).toEqual({ user: null });
    expect((await login('changer@example.org', PASSWORD)).status).toBe(401);
    expect((await login('changer@example.org', 'another long password')).status).toBe(200);
  });
});
