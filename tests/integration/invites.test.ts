import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedInvite, Invite } from '@colloquy/shared';
import { PREFIX } from '../../server/src/store/redis.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, cookieFrom, makeEvent, personWith, type Person } from '../support/people.ts';
import { disconnectedWithin, socketFor } from '../support/sockets.ts';

let t: TestApp;
let organizer: Person;
let event: Awaited<ReturnType<typeof makeEvent>>;
let speakerId: string;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'invite-panel', 'scheduled');
  organizer = await personWith(t, 'organizer', event.id);
  speakerId = (
    await t.app.catalogue.store.putSpeaker(
      {
        slug: 'amara-osei',
        name: 'Amara Osei',
        title: 'Head',
        organization: 'School',
        country: 'GH',
        bio: '',
        photoUrl: null,
      },
      'organizer',
    )
  ).id;
});
afterAll(() => t.close());

const createInvite = async (body: object) => {
  const res = await api(t, 'post', `/api/admin/events/${event.id}/invites`, { cookie: organizer.cookie, body });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedInvite;
};
const tokenOf = (invite: CreatedInvite) => invite.url.split('/invite/')[1]!;

describe('invite links', () => {
  it('creates a speaker invite whose join page is prefilled from the catalogue, and redeems it', async () => {
    const invite = await createInvite({ role: 'speaker', expiresInHours: 48, speakerId });
    expect(invite.url).toMatch(/\/invite\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const preview = await (await api(t, 'get', `/api/invites/${tokenOf(invite)}`)).json();
    expect(preview).toEqual({
      eventSlug: 'invite-panel',
      eventTitle: 'Test invite-panel',
      role: 'speaker',
      suggestedName: 'Amara Osei',
    });

    const redeemed = await api(t, 'post', '/api/invites/redeem', {
      body: { token: tokenOf(invite), displayName: 'Amara Osei' },
    });
    expect(redeemed.status).toBe(200);
    expect(await redeemed.json()).toEqual({ eventSlug: 'invite-panel', role: 'speaker' });
    const cookie = cookieFrom(redeemed);
    expect(await (await api(t, 'get', '/api/events/invite-panel/role', { cookie })).json()).toEqual({
      role: 'speaker',
      displayName: 'Amara Osei',
    });

    const list = (await (
      await api(t, 'get', `/api/admin/events/${event.id}/invites`, { cookie: organizer.cookie })
    ).json()) as { items: Invite[] };
    expect(list.items.find((i) => i.id === invite.id)?.uses).toMatchObject([{ displayName: 'Amara Osei' }]);
    expect(JSON.stringify(list)).not.toContain(tokenOf(invite)); // the link is shown once, never stored
  });

  it('revoking takes the role back, cuts the person’s sockets, and the link then says so', async () => {
    const invite = await createInvite({ role: 'moderator', expiresInHours: 1, label: 'Co-host' });
    const redeemed = await api(t, 'post', '/api/invites/redeem', {
      body: { token: tokenOf(invite), displayName: 'Co-host' },
    });
    const cookie = cookieFrom(redeemed);
    const socket = await socketFor(t.url, cookie);
    const cut = disconnectedWithin(socket, 1000);
    const revoked = await api(t, 'post', `/api/admin/events/${event.id}/invites/${invite.id}/revoke`, {
      cookie: organizer.cookie,
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as Invite).revokedAt).toBeTruthy();
    expect(await cut).toBeLessThan(1000);
    expect(await (await api(t, 'get', '/api/events/invite-panel/role', { cookie })).json()).toMatchObject({
      role: 'visitor',
    });
    const again = await api(t, 'get', `/api/invites/${tokenOf(invite)}`);
    expect(again.status).toBe(410);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invite_revoked');
    expect(
      (await api(t, 'post', '/api/invites/redeem', { body: { token: tokenOf(invite), displayName: 'x' } })).status,
    ).toBe(410);
  });

  it('refuses a tampered link', async () => {
    const token = tokenOf(await createInvite({ role: 'speaker', expiresInHours: 1 }));
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const tampered = token.slice(0, -1) + last;
    const res = await api(t, 'get', `/api/invites/${tampered}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invite_invalid');
    const redeem = await api(t, 'post', '/api/invites/redeem', { body: { token: tampered, displayName: 'Mallory' } });
    expect(redeem.status).toBe(404);
    expect(redeem.headers.getSetCookie()).toEqual([]);
  });

  it('refuses an expired link', async () => {
    const invite = await createInvite({ role: 'speaker', expiresInHours: 1 });
    const key = `${PREFIX}invite:${invite.id}`;
    const stored = JSON.parse((await t.redis.get(key))!) as { expiresAt: string };
    await t.redis.set(key, JSON.stringify({ ...stored, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const res = await api(t, 'get', `/api/invites/${tokenOf(invite)}`);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invite_expired');
  });

  it('refuses a role forged in the redeem payload, changing nothing', async () => {
    const invite = await createInvite({ role: 'speaker', expiresInHours: 1 });
    const res = await api(t, 'post', '/api/invites/redeem', {
      body: { token: tokenOf(invite), displayName: 'Eve', role: 'moderator' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
    const list = (await (
      await api(t, 'get', `/api/admin/events/${event.id}/invites`, { cookie: organizer.cookie })
    ).json()) as { items: Invite[] };
    expect(list.items.find((i) => i.id === invite.id)?.uses).toEqual([]);
  });

  it('refuses invite bodies that are out of bounds', async () => {
    for (const body of [
      { role: 'organizer', expiresInHours: 1 },
      { role: 'speaker', expiresInHours: 0 },
      { role: 'speaker', expiresInHours: 24 * 31 },
      { role: 'speaker', expiresInHours: 1, speakerId: 'nope' },
    ]) {
      const res = await api(t, 'post', `/api/admin/events/${event.id}/invites`, { cookie: organizer.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});
