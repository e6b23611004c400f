/**
 * The organizers' word filter: its REST API (organizers only), whole-word, case- and
 * accent-insensitive matching, and chat messages refused with `content_blocked` and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { createModeration } from '../../server/src/moderation/moderation.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { chatState, closeAll, member, op, type Member } from './chat-helpers.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let organizer: Person;
let writer: Member;
const WORDS = '/api/admin/moderation/words';

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'moderation-filter', 'live');
  organizer = await personWith(t, 'organizer', event.id);
  writer = await member(t, event, 'audience', 'Writer');
});
afterAll(async () => {
  closeAll(writer);
  await t.close();
});

const addWord = (word: unknown, cookie = organizer.cookie) => api(t, 'post', WORDS, { cookie, body: { word } });
const list = async () =>
  ((await (await api(t, 'get', WORDS, { cookie: organizer.cookie })).json()) as { words: string[] }).words;

describe('the word list', () => {
  it('lets organizers add, list and remove words; a case or accent variant is the same word', async () => {
    expect(await list()).toEqual([]);
    const added = await addWord('  Café ');
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ words: ['Café'] });
    expect((await addWord('CAFE')).status).toBe(200);
    expect((await addWord('buy now')).status).toBe(201);
    expect(await list()).toEqual(['buy now', 'Café']);
    expect(
      (await api(t, 'delete', `${WORDS}/${encodeURIComponent('buy now')}`, { cookie: organizer.cookie })).status,
    ).toBe(204);
    expect(
      (await api(t, 'delete', `${WORDS}/${encodeURIComponent('buy now')}`, { cookie: organizer.cookie })).status,
    ).toBe(404);
    expect(await list()).toEqual(['Café']);
  });

  it('refuses empty, oversized, control-character and symbol-only words', async () => {
    for (const bad of ['', '   ', 'x'.repeat(61), 'bad\u0000word', '!!!', 42, null]) {
      const res = await addWord(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect(await list()).toEqual(['Café']);
  });

  it('is for organizers only', async () => {
    for (const role of ['visitor', 'audience', 'speaker', 'moderator'] as const) {
      const p = await personWith(t, role, event.id);
      const status = role === 'visitor' ? 401 : 403;
      expect((await api(t, 'get', WORDS, { cookie: p.cookie })).status).toBe(status);
      expect((await addWord('sneaky', p.cookie)).status).toBe(status);
      expect((await api(t, 'delete', `${WORDS}/Caf%C3%A9`, { cookie: p.cookie })).status).toBe(status);
    }
    expect(await list()).toEqual(['Café']);
  });
});

describe('matching', () => {
  it('finds whole words whatever the case and accents, through the interface Q&A calls', async () => {
    await addWord('Spam');
    // A second instance, as another node would have: it reads the same list from Redis.
    const m = createModeration(t.redis);
    expect(await m.blockedWords('Visit the CAFE today')).toEqual(['Café']);
    expect(await m.blockedWords('spám here')).toEqual(['Spam']);
    expect(await m.blockedWords('The cafeteria and spammers')).toEqual([]);
  });
});

describe('chat messages with a blocked word', () => {
  it('are refused with content_blocked, and nothing is stored or broadcast', async () => {
    const before = await chatState(t, event.id);
    const ack = await writer.emit('chat:send', { slug: event.slug, opId: op(), text: 'Meet at the café, everyone' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'content_blocked' } });
    expect(ack.error?.message).toMatch(/blocked/);
    expect(await chatState(t, event.id)).toEqual(before);
  });

  it('are refused even when the word is disguised by case or accents', async () => {
    const before = await t.redis.xLen(chatKeys(event.id).msgs);
    for (const text of ['CAFE!', 'caFÉ', 'ＳＰＡＭ']) {
      expect(await writer.emit('chat:send', { slug: event.slug, opId: op(), text })).toMatchObject({
        ok: false,
        error: { code: 'content_blocked' },
      });
    }
    expect(await t.redis.xLen(chatKeys(event.id).msgs)).toBe(before);
  });

  it('pass when the word is only part of a longer word', async () => {
    const ack = await writer.emit('chat:send', { slug: event.slug, opId: op(), text: 'The cafeteria is open' });
    expect(ack.ok).toBe(true);
  });

  it('do not change a message already accepted: its retried op id still gets the first ack', async () => {
    const opId = op();
    const first = await writer.emit('chat:send', { slug: event.slug, opId, text: 'Try the baklava' });
    expect(first.ok).toBe(true);
    expect((await addWord('baklava')).status).toBe(201);
    const retry = await writer.emit('chat:send', { slug: event.slug, opId, text: 'Try the baklava' });
    expect(retry).toEqual(first);
    expect((first.data as ChatMessage).text).toBe('Try the baklava');
  });

  it('pass again once the word is removed', async () => {
    expect((await api(t, 'delete', `${WORDS}/Caf%C3%A9`, { cookie: organizer.cookie })).status).toBe(204);
    const ack = await writer.emit('chat:send', { slug: event.slug, opId: op(), text: 'Café at noon' });
    expect(ack.ok).toBe(true);
  });
});
