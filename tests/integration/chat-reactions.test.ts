/**
 * Emoji reactions with real Socket.IO clients and a real Redis: counted exactly, coalesced into a
 * few bursts, in snapshots, rate-limited per person, refused for unknown emoji and visitors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS_CHAT, type ReactionBurst } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { closeAll, member, type Member } from './chat-helpers.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let observer: Member;
const bursts: ReactionBurst[] = [];

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'chat-reactions', 'live');
  observer = await member(t, event, 'audience', 'Observer');
  observer.socket.on('reaction:burst', (b) => bursts.push(b));
});
afterAll(async () => {
  closeAll(observer);
  await t.close();
});

describe('reactions', () => {
  it('counts every accepted reaction exactly and sends a few coalesced bursts with the totals', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => member(t, event, 'audience', `R${i}`)));
    const start = bursts.length;
    const acks = await Promise.all(
      people.flatMap((p) =>
        Array.from({ length: 8 }, (_, i) => p.emit('reaction:send', { slug: event.slug, emoji: i % 2 ? '👏' : '🎉' })),
      ),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    // 96 reactions: 48 of each.
    expect(await t.redis.hGetAll(chatKeys(event.id).reactions)).toEqual({ '👏': '48', '🎉': '48' });
    await expect.poll(() => bursts.at(-1)?.totals, { timeout: 3000 }).toEqual({ '👏': 48, '🎉': 48 });
    const mine = bursts.slice(start);
    // The bursts add up to what was sent, in far fewer packets than reactions.
    const sum = (e: '👏' | '🎉') => mine.reduce((n, b) => n + (b.burst[e] ?? 0), 0);
    expect([sum('👏'), sum('🎉')]).toEqual([48, 48]);
    expect(mine.length).toBeLessThan(10);
    expect((await observer.snapshot()).reactions).toEqual({ '👏': 48, '🎉': 48 });
    closeAll(...people);
  });

  it(`refuses more than ${LIMITS_CHAT.reactionsPerWindow} per person in ${LIMITS_CHAT.reactionWindowSeconds} s, without counting them`, async () => {
    const eager = await member(t, event, 'audience', 'Eager');
    const before = Number((await t.redis.hGet(chatKeys(event.id).reactions, '❤️')) ?? 0);
    const acks = [];
    for (let i = 0; i < LIMITS_CHAT.reactionsPerWindow + 5; i++) {
      acks.push(await eager.emit('reaction:send', { slug: event.slug, emoji: '❤️' }));
    }
    expect(acks.filter((a) => a.ok)).toHaveLength(LIMITS_CHAT.reactionsPerWindow);
    for (const a of acks.slice(LIMITS_CHAT.reactionsPerWindow)) {
      expect(a).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    }
    expect(Number(await t.redis.hGet(chatKeys(event.id).reactions, '❤️'))).toBe(
      before + LIMITS_CHAT.reactionsPerWindow,
    );
    closeAll(eager);
  });

  it('refuses unknown emoji, extra fields and visitors, counting nothing', async () => {
    const someone = await member(t, event, 'audience');
    const visitor = await member(t, event, 'visitor');
    const before = await t.redis.hGetAll(chatKeys(event.id).reactions);
    for (const payload of [
      { slug: event.slug, emoji: '💩' },
      { slug: event.slug, emoji: '<script>' },
      { slug: event.slug, emoji: '👏', count: 100 },
      { slug: event.slug },
    ]) {
      expect(await someone.emit('reaction:send', payload)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    }
    expect(await visitor.emit('reaction:send', { slug: event.slug, emoji: '👏' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await t.redis.hGetAll(chatKeys(event.id).reactions)).toEqual(before);
    closeAll(someone, visitor);
  });
});
