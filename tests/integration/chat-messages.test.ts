/**
 * Chat messages with real Socket.IO clients and a real Redis: posting, deltas and snapshots (the
 * author's id for staff only), text kept exactly as typed (markup included), bad input, op ids,
 * floods, and the capped history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS_CHAT, type ChatMessage } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent } from '../support/people.ts';
import { chatState, closeAll, latest, member, op, type Member } from './chat-helpers.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let ada: Member;
let bo: Member;
let mod: Member;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'chat-messages', 'live');
  ada = await member(t, event, 'audience', 'Ada <b>Lovelace</b>');
  bo = await member(t, event, 'audience', 'Bo');
  mod = await member(t, event, 'moderator', 'Mo Moderator');
});
afterAll(async () => {
  closeAll(ada, bo, mod);
  await t.close();
});

describe('posting', () => {
  it('stores a message, acks it with its version and sends it to every screen (author id to staff only)', async () => {
    const ack = await ada.emit('chat:send', { slug: event.slug, opId: op(), text: '  Hello from Nairobi  ' });
    expect(ack.ok).toBe(true);
    const msg = ack.data as ChatMessage;
    expect(msg).toMatchObject({
      text: 'Hello from Nairobi',
      authorName: 'Ada <b>Lovelace</b>',
      authorRole: 'audience',
    });
    expect(msg.authorId).toBeUndefined();
    expect(typeof ack.version).toBe('number');

    await expect.poll(() => latest(bo.deltas, 'message').get(msg.id)).toEqual(msg);
    await expect.poll(() => latest(mod.deltas, 'message').get(msg.id)).toEqual({ ...msg, authorId: ada.userId });

    const audienceView = await bo.snapshot();
    expect(audienceView.messages.at(-1)).toEqual(msg);
    expect((await mod.snapshot()).messages.at(-1)).toEqual({ ...msg, authorId: ada.userId });
    expect(audienceView.settings).toEqual({ enabled: true, slowModeSeconds: 0 });
    expect(audienceView.me).toEqual({ muted: false, banned: false });
    expect(audienceView.reports).toEqual({});
    expect(audienceView.restrictions).toEqual({});
  });

  it('serves the same snapshot over REST to people with a role, and refuses visitors', async () => {
    const res = await api(t, 'get', `/api/events/${event.slug}/chat`, { cookie: bo.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { feature: string; version: number; state: { messages: ChatMessage[] } };
    expect(body.feature).toBe('chat');
    expect(body.state.messages.map((m) => m.text)).toContain('Hello from Nairobi');
    expect(body.state.messages.every((m) => m.authorId === undefined)).toBe(true);
    expect((await api(t, 'get', `/api/events/${event.slug}/chat`)).status).toBe(401);
    expect((await api(t, 'get', `/api/events/no-such-event/chat`, { cookie: bo.cookie })).status).toBe(404);
  });

  it('keeps markup and scripts as plain text, exactly as typed', async () => {
    const text =
      '<script>window.pwned=1</script> <img src=x onerror=alert(1)> javascript:alert(1) [x](javascript:alert(2))';
    const ack = await bo.emit('chat:send', { slug: event.slug, opId: op(), text });
    expect(ack.ok).toBe(true);
    const stored = await t.redis.xRange(
      chatKeys(event.id).msgs,
      (ack.data as ChatMessage).id,
      (ack.data as ChatMessage).id,
    );
    expect(JSON.parse(stored![0]!.message.m!).text).toBe(text);
    expect((await ada.snapshot()).messages.at(-1)!.text).toBe(text);
  });

  it('allows newlines and up to 500 characters, in any script', async () => {
    const text = `${'ب'.repeat(250)}\n${'字'.repeat(249)}`;
    expect(text.length).toBe(500);
    const ack = await mod.emit('chat:send', { slug: event.slug, opId: op(), text });
    expect(ack.ok).toBe(true);
    expect((ack.data as ChatMessage).authorRole).toBe('moderator');
  });
});

describe('bad input changes nothing', () => {
  const bad: [string, object][] = [
    ['empty text', { text: '' }],
    ['only spaces', { text: '   \n  ' }],
    ['501 characters', { text: 'x'.repeat(501) }],
    ['a control character', { text: 'bell \u0007' }],
    ['a bidi override', { text: 'abc \u202E gnp.exe' }],
    ['text that is not a string', { text: 42 }],
    ['an unknown field', { text: 'hi', authorName: 'Admin' }],
    ['a malformed op id', { text: 'hi', opId: 'not-a-uuid' }],
  ];
  for (const [what, fields] of bad) {
    it(`refuses ${what} with validation_failed`, async () => {
      const before = await chatState(t, event.id);
      const ack = await ada.emit('chat:send', { slug: event.slug, opId: op(), ...fields });
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await chatState(t, event.id)).toEqual(before);
    });
  }

  it('refuses a message to an unknown event with not_found', async () => {
    const ack = await ada.emit('chat:send', { slug: 'no-such-event', opId: op(), text: 'hi' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses visitors (no role at the event)', async () => {
    const visitor = await member(t, event, 'visitor');
    const before = await chatState(t, event.id);
    const ack = await visitor.emit('chat:send', { slug: event.slug, opId: op(), text: 'hi' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await chatState(t, event.id)).toEqual(before);
    closeAll(visitor);
  });

  it('closes chat when the event has ended', async () => {
    const ended = await makeEvent(t, 'chat-ended', 'ended');
    const someone = await member(t, ended, 'audience');
    const ack = await someone.emit('chat:send', { slug: ended.slug, opId: op(), text: 'too late' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.redis.xLen(chatKeys(ended.id).msgs)).toBe(0);
    closeAll(someone);
  });
});

describe('operation ids', () => {
  it('answers a retried op id with the first ack and stores the message once', async () => {
    const opId = op();
    const before = await t.redis.xLen(chatKeys(event.id).msgs);
    const first = await bo.emit('chat:send', { slug: event.slug, opId, text: 'Only once' });
    const again = await bo.emit('chat:send', { slug: event.slug, opId, text: 'Only once' });
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    expect(await t.redis.xLen(chatKeys(event.id).msgs)).toBe(before + 1);
  });

  it('refuses an op id reused for a different text with conflict, changing nothing', async () => {
    const opId = op();
    expect((await bo.emit('chat:send', { slug: event.slug, opId, text: 'First text' })).ok).toBe(true);
    const before = await chatState(t, event.id);
    const ack = await bo.emit('chat:send', { slug: event.slug, opId, text: 'Different text' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await chatState(t, event.id)).toEqual(before);
  });
});

describe('floods and history', () => {
  it(`refuses more than ${LIMITS_CHAT.messagesPerWindow} messages in ${LIMITS_CHAT.messageWindowSeconds} s with rate_limited`, async () => {
    const flooder = await member(t, event, 'audience', 'Flooder');
    const acks = [];
    for (let i = 0; i < LIMITS_CHAT.messagesPerWindow + 3; i++) {
      acks.push(await flooder.emit('chat:send', { slug: event.slug, opId: op(), text: `flood ${i}` }));
    }
    const accepted = acks.filter((a) => a.ok).length;
    expect(accepted).toBe(LIMITS_CHAT.messagesPerWindow);
    const refused = acks.filter((a) => !a.ok);
    for (const r of refused) {
      expect(r).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      expect(r.error?.retryAfterMs).toBeGreaterThan(0);
    }
    const stored = ((await t.redis.xRange(chatKeys(event.id).msgs, '-', '+')) ?? []).filter((e) =>
      JSON.parse(e.message.m!).text.startsWith('flood '),
    );
    expect(stored).toHaveLength(LIMITS_CHAT.messagesPerWindow);
    closeAll(flooder);
  });

  it(`keeps the newest ${LIMITS_CHAT.keptMessages} in Redis and the newest ${LIMITS_CHAT.snapshotMessages} in a snapshot`, async () => {
    const busy = await makeEvent(t, 'chat-busy', 'live');
    const k = chatKeys(busy.id);
    const old = JSON.stringify({
      text: 'old',
      authorName: 'X',
      authorRole: 'audience',
      at: new Date().toISOString(),
      authorId: 'x',
    });
    for (let i = 0; i < 600; i++) await t.redis.xAdd(k.msgs, '*', { m: old });
    const someone = await member(t, busy, 'audience');
    const ack = await someone.emit('chat:send', { slug: busy.slug, opId: op(), text: 'newest' });
    expect(ack.ok).toBe(true);
    expect(await t.redis.xLen(k.msgs)).toBe(LIMITS_CHAT.keptMessages);
    const snap = await someone.snapshot();
    expect(snap.messages).toHaveLength(LIMITS_CHAT.snapshotMessages);
    expect(snap.messages.at(-1)!.text).toBe('newest');
    closeAll(someone);
  });
});
