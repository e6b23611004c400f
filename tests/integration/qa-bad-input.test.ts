/**
 * Bad input to the Q&A over real sockets: each gets a typed refusal and changes nothing — no key
 * under the event's Q&A prefix, no version, no broadcast.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QaQuestion } from '@colloquy/shared';
import { versionKey } from '../../server/src/live/ops.ts';
import { qaPrefix } from '../../server/src/qa/scripts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';
import { emit, write } from '../support/qa-live.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';

const SLUG = 'qa-bad-input';
let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let audience: ClientSocket;
let moderator: ClientSocket;
let question: QaQuestion;
let other: QaQuestion;
const sockets: ClientSocket[] = [];

async function connect(p: Person) {
  const s = await socketFor(t.url, p.cookie);
  sockets.push(s);
  return s;
}

/** Everything the Q&A keeps for the event, plus its version. */
async function state() {
  const keys = (await t.redis.keys(`${qaPrefix(event.id)}*`)).sort();
  const values: Record<string, unknown> = {};
  for (const k of keys) {
    const type = await t.redis.type(k);
    values[k] =
      type === 'hash'
        ? await t.redis.hGetAll(k)
        : type === 'set'
          ? (await t.redis.sMembers(k)).sort()
          : type === 'zset'
            ? await t.redis.zRangeWithScores(k, 0, -1)
            : await t.redis.get(k);
  }
  return { version: await t.redis.get(versionKey(event.id, 'qa')), values };
}

/** Runs `fn`, expects the refusal `code`, and that nothing was stored or broadcast. */
async function refusedWithoutChange(code: string, fn: () => Promise<unknown>) {
  t.app.live.hub.flush();
  const before = await state();
  const emitted = t.app.live.hub.emitted;
  expect(await fn()).toMatchObject({ ok: false, error: { code } });
  t.app.live.hub.flush();
  expect(await state()).toEqual(before);
  expect(t.app.live.hub.emitted).toBe(emitted);
}

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, SLUG, 'live');
  audience = await connect(await personWith(t, 'audience', event.id, 'Asker'));
  moderator = await connect(await personWith(t, 'moderator', event.id, 'Mod'));
  for (const s of [audience, moderator]) await emit(s, 'event:subscribe', { slug: SLUG });
  const a = await write<QaQuestion>(moderator, 'qa:ask', { slug: SLUG, text: 'A question to act on' });
  const b = await write<QaQuestion>(moderator, 'qa:ask', { slug: SLUG, text: 'Another question' });
  if (!a.ok || !b.ok) throw new Error('setup failed');
  question = a.data;
  other = b.data;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

describe('text', () => {
  it.each([
    ['empty', ''],
    ['only spaces', '   \n\t '],
    ['301 characters', 'x'.repeat(301)],
    ['a NUL', 'What\u0000 now?'],
    ['an escape sequence', 'Red \u001b[31malert'],
    ['a bidi override', 'Pay \u202Eevil\u202C now'],
    ['a number', 42],
    ['missing', undefined],
  ])('refuses a question that is %s with validation_failed', async (_label, text) => {
    await refusedWithoutChange('validation_failed', () => write(audience, 'qa:ask', { slug: SLUG, text }));
  });

  it('refuses an extra field (no author or status from the client)', async () => {
    await refusedWithoutChange('validation_failed', () =>
      write(audience, 'qa:ask', { slug: SLUG, text: 'Hi', status: 'approved' }),
    );
    await refusedWithoutChange('validation_failed', () =>
      write(audience, 'qa:ask', { slug: SLUG, text: 'Hi', authorName: 'Someone else' }),
    );
  });

  it('refuses a correction that is empty, oversized or has control characters', async () => {
    for (const text of ['', 'y'.repeat(301), 'bad\u0007bell']) {
      await refusedWithoutChange('validation_failed', () =>
        write(moderator, 'qa:edit', { slug: SLUG, questionId: question.id, text }),
      );
    }
  });

  it('accepts exactly 300 characters and keeps newlines', async () => {
    const text = `${'z'.repeat(149)}\n${'z'.repeat(150)}`;
    const r = await write<QaQuestion>(moderator, 'qa:ask', { slug: SLUG, text });
    expect(r).toMatchObject({ ok: true, data: { text } });
  });
});

describe('votes', () => {
  it('refuses a second upvote with conflict, and the count stays at one', async () => {
    expect(await write(audience, 'qa:vote', { slug: SLUG, questionId: question.id, up: true })).toMatchObject({
      ok: true,
      data: { votes: 1 },
    });
    await refusedWithoutChange('conflict', () =>
      write(audience, 'qa:vote', { slug: SLUG, questionId: question.id, up: true }),
    );
    expect(await t.redis.hGet(`${qaPrefix(event.id)}q:${question.id}`, 'votes')).toBe('1');
  });

  it('refuses withdrawing a vote never given', async () => {
    await refusedWithoutChange('conflict', () =>
      write(audience, 'qa:vote', { slug: SLUG, questionId: other.id, up: false }),
    );
  });

  it('refuses an op id reused for a different payload', async () => {
    const opId = crypto.randomUUID();
    expect(await write(audience, 'qa:vote', { slug: SLUG, questionId: other.id, up: true }, opId)).toMatchObject({
      ok: true,
    });
    await refusedWithoutChange('conflict', () =>
      write(audience, 'qa:vote', { slug: SLUG, questionId: other.id, up: false }, opId),
    );
    await refusedWithoutChange('conflict', () =>
      write(audience, 'qa:ask', { slug: SLUG, text: 'Something else entirely' }, opId),
    );
  });
});

describe('unknown questions', () => {
  const unknown = '987654';
  it.each([
    ['qa:vote', { up: true }],
    ['qa:approve', {}],
    ['qa:dismiss', {}],
    ['qa:edit', { text: 'New text' }],
    ['qa:answered', {}],
    ['qa:pin', {}],
  ])('%s on an unknown question is not_found', async (name, extra) => {
    const s = name === 'qa:vote' ? audience : moderator;
    await refusedWithoutChange('not_found', () => write(s, name, { slug: SLUG, questionId: unknown, ...extra }));
  });

  it('merging into or from an unknown question is not_found, into itself a conflict', async () => {
    await refusedWithoutChange('not_found', () =>
      write(moderator, 'qa:merge', { slug: SLUG, questionId: question.id, intoId: unknown }),
    );
    await refusedWithoutChange('not_found', () =>
      write(moderator, 'qa:merge', { slug: SLUG, questionId: unknown, intoId: question.id }),
    );
    await refusedWithoutChange('conflict', () =>
      write(moderator, 'qa:merge', { slug: SLUG, questionId: question.id, intoId: question.id }),
    );
  });

  it.each([['0'], ['-1'], ['1e3'], ['abc'], ['1'.repeat(13)], [7]])(
    'refuses the malformed question id %j with validation_failed',
    async (questionId) => {
      await refusedWithoutChange('validation_failed', () =>
        write(audience, 'qa:vote', { slug: SLUG, questionId, up: true }),
      );
    },
  );

  it('refuses approving twice and answering twice with conflict', async () => {
    await refusedWithoutChange('conflict', () => write(moderator, 'qa:approve', { slug: SLUG, questionId: other.id }));
    expect((await write(moderator, 'qa:answered', { slug: SLUG, questionId: other.id })).ok).toBe(true);
    await refusedWithoutChange('conflict', () => write(moderator, 'qa:answered', { slug: SLUG, questionId: other.id }));
  });
});

describe('moderation from an audience socket', () => {
  it.each([
    ['qa:approve', { questionId: '1' }],
    ['qa:dismiss', { questionId: '1' }],
    ['qa:edit', { questionId: '1', text: 'Hijacked' }],
    ['qa:merge', { questionId: '2', intoId: '1' }],
    ['qa:pin', { questionId: '1' }],
    ['qa:answered', { questionId: '1' }],
    ['qa:settings', { premoderation: true }],
  ])('%s is forbidden', async (name, extra) => {
    await refusedWithoutChange('forbidden', () => write(audience, name, { slug: SLUG, ...extra }));
  });

  it('and from a speaker socket', async () => {
    const speaker = await connect(await personWith(t, 'speaker', event.id, 'Speaker'));
    await refusedWithoutChange('forbidden', () => write(speaker, 'qa:dismiss', { slug: SLUG, questionId: '1' }));
  });

  it('asking or voting without joining the event is refused', async () => {
    const visitor = await connect(await personWith(t, 'visitor', event.id));
    await refusedWithoutChange('unauthorized', () => write(visitor, 'qa:ask', { slug: SLUG, text: 'Hello?' }));
    const stranger = await connect(await personWith(t, 'audience', 'some-other-event', 'Stranger'));
    await refusedWithoutChange('forbidden', () =>
      write(stranger, 'qa:vote', { slug: SLUG, questionId: question.id, up: true }),
    );
  });
});

describe('floods', () => {
  it('allows five questions a minute per person, then rate_limited', async () => {
    const asker = await connect(await personWith(t, 'audience', event.id, 'Chatty'));
    for (let i = 0; i < 5; i++) {
      expect((await write(asker, 'qa:ask', { slug: SLUG, text: `Question ${i}` })).ok).toBe(true);
    }
    await refusedWithoutChange('rate_limited', () => write(asker, 'qa:ask', { slug: SLUG, text: 'One more' }));
    // A retry of an op id that was accepted is still answered (it is not a new question).
    const opId = crypto.randomUUID();
    const other = await connect(await personWith(t, 'audience', event.id, 'Patient'));
    const first = await write(other, 'qa:ask', { slug: SLUG, text: 'Once' }, opId);
    for (let i = 0; i < 4; i++) await write(other, 'qa:ask', { slug: SLUG, text: `More ${i}` });
    expect(await write(other, 'qa:ask', { slug: SLUG, text: 'Once' }, opId)).toEqual(first);
  });

  it('refuses a burst over the per-person socket limit with rate_limited', async () => {
    const flooder = await connect(await personWith(t, 'audience', event.id, 'Flooder'));
    const acks = await Promise.all(
      Array.from({ length: 60 }, () => write(flooder, 'qa:vote', { slug: SLUG, questionId: '987654', up: true })),
    );
    const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(20);
    expect(codes.every((c) => c === 'rate_limited' || c === 'not_found')).toBe(true);
    await refusedWithoutChange('rate_limited', () =>
      write(flooder, 'qa:vote', { slug: SLUG, questionId: question.id, up: true }),
    );
  });
});

describe('after the event', () => {
  it('refuses questions and votes once the event has ended', async () => {
    const ended = await makeEvent(t, 'qa-ended', 'ended');
    const s = await connect(await personWith(t, 'audience', ended.id, 'Late'));
    const r = await write(s, 'qa:ask', { slug: 'qa-ended', text: 'Too late?' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.redis.keys(`${qaPrefix(ended.id)}*`)).toEqual([]);
  });
});
