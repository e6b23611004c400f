import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AccessToken } from 'livekit-server-sdk';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Signs a webhook body the way livekit-server does: a JWT whose sha256 claim is the body's hash. */
async function signed(body: string, secret = inject('livekit').apiSecret): Promise<string> {
  const token = new AccessToken(inject('livekit').apiKey, secret);
  token.sha256 = crypto.createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

const post = (body: string, authorization: string) =>
  fetch(`${t.url}/webhooks/livekit`, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization },
    body,
  });

const joined = (id: string, eventId: string, identity: string) =>
  JSON.stringify({
    event: 'participant_joined',
    id,
    createdAt: '1',
    room: { name: `event-${eventId}` },
    participant: { identity },
  });

describe('POST /webhooks/livekit', () => {
  it('refuses an unsigned or wrongly signed webhook', async () => {
    const body = joined('EV_1', 'x', 'y');
    expect((await post(body, '')).status).toBe(401);
    expect((await post(body, await signed(body, 'another-secret-that-is-long-enough-123'))).status).toBe(401);
    expect((await post(body, await signed('{"other":"body"}'))).status).toBe(401);
  });

  it('handles a signed event once, and answers a retry as a duplicate', async () => {
    const ev = await makeEvent(t, 'hook-panel', 'live');
    const body = joined('EV_2', ev.id, 'someone');
    const first = await post(body, await signed(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ handled: true });
    const again = await post(body, await signed(body));
    expect(await again.json()).toEqual({ handled: false, duplicate: true });
  });

  it('cuts the sockets of a banned person who rejoins the room', async () => {
    const ev = await makeEvent(t, 'hook-ban', 'live');
    const { session, token } = await t.app.auth.sessions.create({ kind: 'guest', displayName: 'Banned' });
    await t.app.auth.roles.ban(ev.id, session.userId);
    const { socketFor, disconnectedWithin } = await import('../support/sockets.ts');
    const socket = await socketFor(t.url, `colloquy_session=${token}`);
    const cut = disconnectedWithin(socket, 2000);
    const body = joined('EV_3', ev.id, session.userId);
    expect((await post(body, await signed(body))).status).toBe(200);
    expect(await cut).toBeLessThan(2000);
  });
});
