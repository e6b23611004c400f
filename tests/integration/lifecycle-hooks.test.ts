/**
 * What other features do when the stage moves an event: ending it closes the polls still open
 * (so their results reach the archive) and tells every lifecycle listener, once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollsListing } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import { member, ok } from './stage-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the event lifecycle as other features hear it', () => {
  it('tells listeners when the event goes live and ends, and closes open polls at the end', async () => {
    const event = await makeEvent(t, 'hooks-panel', 'scheduled');
    const heard: string[] = [];
    const stop = t.app.lifecycle.subscribe({
      onLive: (id) => void heard.push(`live:${id}`),
      onEnded: (id) => void heard.push(`ended:${id}`),
    });
    const mod = await member(t, 'moderator', event);
    await ok(mod.socket, 'stage:phase', { slug: event.slug, phase: 'live' });
    const poll = await ok<{ id: string }>(mod.socket, 'polls:create', {
      slug: event.slug,
      kind: 'single',
      question: 'Which network meeting helped you most?',
      options: ['Doha', 'Accra'],
    });
    await ok(mod.socket, 'polls:open', { slug: event.slug, pollId: poll.id });
    await ok(mod.socket, 'stage:phase', { slug: event.slug, phase: 'ended' });

    await expect.poll(() => heard).toEqual([`live:${event.id}`, `ended:${event.id}`]);
    const res = await api(t, 'get', `/api/events/${event.slug}/polls`, { cookie: mod.person.cookie });
    const listing = (await res.json()) as PollsListing;
    expect(listing.polls.find((p) => p.id === poll.id)?.state).toBe('closed');
    stop();
    mod.socket.disconnect();
  });
});
