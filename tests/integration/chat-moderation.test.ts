/**
 * Moderating the chat with real Socket.IO clients and a real Redis: deleting messages, muting and
 * banning people, slow mode, switching chat off, and every moderation event refused (with nothing
 * changed) from audience sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMe, ChatMessage, ChatRestriction } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { chatState, closeAll, latest, member, op, type Member } from './chat-helpers.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let mod: Member;
let org: Member;
let watcher: Member;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'chat-moderation', 'live');
  mod = await member(t, event, 'moderator', 'Mo');
  org = await member(t, event, 'organizer');
  watcher = await member(t, event, 'audience', 'Watcher');
});
afterAll(async () => {
  closeAll(mod, org, watcher);
  await t.close();
});

const send = (m: Member, text: string, opId = op()) => m.emit('chat:send', { slug: event.slug, opId, text });
const settings = (m: Member, s: { enabled?: boolean; slowModeSeconds?: number }) =>
  m.emit('chat:settings', { slug: event.slug, opId: op(), ...s });

describe('deleting messages', () => {
  it('removes the message from Redis, from every screen and from snapshots', async () => {
    const author = await member(t, event, 'audience', 'Author');
    const msg = (await send(author, 'Delete me')).data as ChatMessage;
    await expect.poll(() => latest(watcher.deltas, 'message').get(msg.id)).toMatchObject({ text: 'Delete me' });

    const ack = await mod.emit('chat:delete', { slug: event.slug, opId: op(), id: msg.id });
    expect(ack).toMatchObject({ ok: true, data: null });
    await expect.poll(() => latest(watcher.deltas, 'message').get(msg.id)).toBeNull();
    await expect.poll(() => latest(author.deltas, 'message').get(msg.id)).toBeNull();
    expect((await t.redis.xRange(chatKeys(event.id).msgs, msg.id, msg.id)) ?? []).toEqual([]);
    expect((await watcher.snapshot()).messages.some((m) => m.id === msg.id)).toBe(false);
    closeAll(author);
  });

  it('refuses an unknown or already deleted message id with not_found, changing nothing', async () => {
    const before = await chatState(t, event.id);
    const unknown = await mod.emit('chat:delete', { slug: event.slug, opId: op(), id: '1-0' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const malformed = await mod.emit('chat:delete', { slug: event.slug, opId: op(), id: 'abc' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await chatState(t, event.id)).toEqual(before);
  });
});

describe('moderation events from audience sockets', () => {
  it('refuses delete, mute, ban, settings and report review with forbidden, changing nothing', async () => {
    const rogue = await member(t, event, 'audience', 'Rogue');
    const speaker = await member(t, event, 'speaker', 'Speaker');
    const victim = await member(t, event, 'audience', 'Victim');
    const msg = (await send(victim, 'Still here')).data as ChatMessage;
    const before = await chatState(t, event.id);
    for (const s of [rogue, speaker]) {
      const acks = await Promise.all([
        s.emit('chat:delete', { slug: event.slug, opId: op(), id: msg.id }),
        s.emit('chat:restrict', { slug: event.slug, opId: op(), userId: victim.userId, state: 'muted' }),
        s.emit('chat:restrict', { slug: event.slug, opId: op(), userId: victim.userId, state: 'banned' }),
        s.emit('chat:settings', { slug: event.slug, opId: op(), enabled: false }),
        s.emit('chat:settings', { slug: event.slug, opId: op(), slowModeSeconds: 60 }),
        s.emit('moderation:review', { slug: event.slug, opId: op(), reportId: '1', outcome: 'dismissed' }),
      ]);
      for (const a of acks) expect(a).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await chatState(t, event.id)).toEqual(before);
    closeAll(rogue, speaker, victim);
  });
});

describe('muting and banning', () => {
  it('mutes a person: they still read the chat but cannot post, until unmuted', async () => {
    const loud = await member(t, event, 'audience', 'Loud');
    const told: (ChatMe & { slug: string })[] = [];
    loud.socket.on('chat:you', (p) => told.push(p));
    await send(loud, 'Before the mute');

    const ack = await mod.emit('chat:restrict', { slug: event.slug, opId: op(), userId: loud.userId, state: 'muted' });
    expect(ack).toMatchObject({ ok: true, data: { userId: loud.userId, name: 'Loud', state: 'muted' } });
    await expect.poll(() => told.at(-1)).toEqual({ slug: event.slug, muted: true, banned: false });
    await expect
      .poll(() => (latest(mod.deltas, 'restriction').get(loud.userId!) as ChatRestriction)?.state)
      .toBe('muted');
    // The audience learns nothing about who is muted.
    await expect.poll(() => latest(watcher.deltas, 'restriction').has(loud.userId!)).toBe(true);
    expect(latest(watcher.deltas, 'restriction').get(loud.userId!)).toBeNull();

    const before = await chatState(t, event.id);
    const refused = await send(loud, 'Let me talk');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused.error?.message).toMatch(/muted/);
    expect(await chatState(t, event.id)).toEqual(before);

    // Still reading: their snapshot has messages and says they are muted; others' messages reach them.
    const snap = await loud.snapshot();
    expect(snap.me).toEqual({ muted: true, banned: false });
    expect(snap.messages.some((m) => m.text === 'Before the mute')).toBe(true);
    const other = (await send(watcher, 'Can you read me?')).data as ChatMessage;
    await expect.poll(() => latest(loud.deltas, 'message').get(other.id)).toMatchObject({ text: 'Can you read me?' });
    expect((await mod.snapshot()).restrictions[loud.userId!]).toMatchObject({ state: 'muted', name: 'Loud' });

    const unmute = await mod.emit('chat:restrict', {
      slug: event.slug,
      opId: op(),
      userId: loud.userId,
      state: 'none',
    });
    expect(unmute.ok).toBe(true);
    await expect.poll(() => told.at(-1)).toEqual({ slug: event.slug, muted: false, banned: false });
    expect((await send(loud, 'Thanks')).ok).toBe(true);
    expect((await mod.snapshot()).restrictions[loud.userId!]).toBeUndefined();
    closeAll(loud);
  });

  it('bans a person from chat: their messages go, they cannot post, react or read', async () => {
    const troll = await member(t, event, 'audience', 'Troll');
    const m1 = (await send(troll, 'spam one')).data as ChatMessage;
    const m2 = (await send(troll, 'spam two')).data as ChatMessage;
    const kept = (await send(watcher, 'A good message')).data as ChatMessage;

    const ack = await org.emit('chat:restrict', {
      slug: event.slug,
      opId: op(),
      userId: troll.userId,
      state: 'banned',
    });
    expect(ack).toMatchObject({ ok: true, data: { state: 'banned' } });
    await expect
      .poll(() => [latest(watcher.deltas, 'message').get(m1.id), latest(watcher.deltas, 'message').get(m2.id)])
      .toEqual([null, null]);
    const ids = ((await t.redis.xRange(chatKeys(event.id).msgs, '-', '+')) ?? []).map((e) => e.id);
    expect(ids).not.toContain(m1.id);
    expect(ids).not.toContain(m2.id);
    expect(ids).toContain(kept.id);

    const before = await chatState(t, event.id);
    expect(await send(troll, 'I am back')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await troll.emit('reaction:send', { slug: event.slug, emoji: '👍' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await chatState(t, event.id)).toEqual(before);
    const snap = await troll.snapshot();
    expect(snap.me).toEqual({ muted: false, banned: true });
    expect(snap.messages).toEqual([]);
    closeAll(troll);
  });

  it('refuses to mute staff, or someone who never wrote here, changing nothing', async () => {
    await send(mod, 'Moderator speaking');
    const before = await chatState(t, event.id);
    const staff = await org.emit('chat:restrict', { slug: event.slug, opId: op(), userId: mod.userId, state: 'muted' });
    expect(staff).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const org2 = await mod.emit('chat:restrict', { slug: event.slug, opId: op(), userId: org.userId, state: 'banned' });
    expect(org2).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const nobody = await mod.emit('chat:restrict', { slug: event.slug, opId: op(), userId: 'nobody', state: 'muted' });
    expect(nobody).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await chatState(t, event.id)).toEqual(before);
  });
});

describe('slow mode', () => {
  it('lets each person post once per N seconds (staff exempt), with the wait in the refusal', async () => {
    const ack = await settings(mod, { slowModeSeconds: 30 });
    expect(ack).toMatchObject({ ok: true, data: { enabled: true, slowModeSeconds: 30 } });
    await expect
      .poll(() => latest(watcher.deltas, 'settings').get('main'))
      .toEqual({ enabled: true, slowModeSeconds: 30 });

    const a = await member(t, event, 'audience', 'Quick');
    const b = await member(t, event, 'audience', 'Other');
    expect((await send(a, 'First')).ok).toBe(true);
    const before = await chatState(t, event.id);
    const second = await send(a, 'Second, too soon');
    expect(second).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(second.error?.message).toMatch(/Slow mode is on: one message every 30 s/);
    const wait = second.error?.retryAfterMs ?? 0;
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    expect(await chatState(t, event.id)).toEqual(before);

    expect((await send(b, 'Someone else may')).ok).toBe(true);
    expect((await send(mod, 'Staff one')).ok).toBe(true);
    expect((await send(mod, 'Staff two')).ok).toBe(true);
    expect((await a.snapshot()).settings.slowModeSeconds).toBe(30);

    // Switching slow mode off frees everyone at once.
    expect((await settings(mod, { slowModeSeconds: 0 })).ok).toBe(true);
    expect((await send(a, 'Free again')).ok).toBe(true);
    closeAll(a, b);
  });

  it('refuses settings out of range or empty, changing nothing', async () => {
    const before = await chatState(t, event.id);
    for (const bad of [
      { slowModeSeconds: 601 },
      { slowModeSeconds: -1 },
      { slowModeSeconds: 2.5 },
      {},
      { enabled: 'no' },
    ]) {
      expect(await settings(mod, bad as object)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await chatState(t, event.id)).toEqual(before);
  });
});

describe('switching chat off', () => {
  it('refuses the audience while off (staff may still post), and opens again', async () => {
    const person = await member(t, event, 'audience', 'Patient');
    expect((await settings(mod, { enabled: false })).ok).toBe(true);
    await expect
      .poll(() => (latest(person.deltas, 'settings').get('main') as { enabled: boolean })?.enabled)
      .toBe(false);
    const before = await chatState(t, event.id);
    const refused = await send(person, 'Hello?');
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Chat is switched off' } });
    expect(await chatState(t, event.id)).toEqual(before);
    expect((await person.snapshot()).settings.enabled).toBe(false);
    expect((await send(mod, 'Chat is paused for a moment')).ok).toBe(true);

    expect((await settings(org, { enabled: true })).ok).toBe(true);
    expect((await send(person, 'Hello again')).ok).toBe(true);
    closeAll(person);
  });
});
