/**
 * Reports with real Socket.IO clients and a real Redis: anyone with a role reports a message or a
 * question once; reports queue live for moderators only (with the item's text and the number of
 * reporters); moderators dismiss or resolve them, and resolving a message report can delete it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatReport } from '@colloquy/shared';
import { chatKeys } from '../../server/src/chat/store.ts';
import { reportKeys } from '../../server/src/moderation/reports.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { makeEvent } from '../support/people.ts';
import { chatState, closeAll, latest, member, op, type Member } from './chat-helpers.ts';

let t: TestApp;
let event: Awaited<ReturnType<typeof makeEvent>>;
let author: Member;
let mod: Member;
let watcher: Member;

beforeAll(async () => {
  t = await startTestApp();
  event = await makeEvent(t, 'moderation-reports', 'live');
  author = await member(t, event, 'audience', 'Author <i>A</i>');
  mod = await member(t, event, 'moderator', 'Mo');
  watcher = await member(t, event, 'audience', 'Watcher');
});
afterAll(async () => {
  closeAll(author, mod, watcher);
  await t.close();
});

const post = async (text: string) =>
  (await author.emit('chat:send', { slug: event.slug, opId: op(), text })).data as ChatMessage;
const report = (m: Member, id: string, reason?: string, kind = 'message') =>
  m.emit('moderation:report', { slug: event.slug, opId: op(), kind, id, ...(reason ? { reason } : {}) });
const review = (m: Member, reportId: string, outcome: 'dismissed' | 'resolved', removeItem?: boolean) =>
  m.emit('moderation:review', {
    slug: event.slug,
    opId: op(),
    reportId,
    outcome,
    ...(removeItem === undefined ? {} : { removeItem }),
  });
const reportState = async () => {
  const k = reportKeys(event.id);
  return { reports: await t.redis.hGetAll(k.reports), open: await t.redis.hGetAll(k.open) };
};

describe('reporting', () => {
  it('queues one report per item for moderators, counting reporters once each', async () => {
    const msg = await post('Something rude');
    const r1 = await member(t, event, 'audience', 'Reporter one');
    const r2 = await member(t, event, 'speaker', 'Reporter two');

    const first = await report(r1, msg.id, 'Rude to a speaker');
    expect(first).toMatchObject({ ok: true, data: { reportId: expect.any(String) } });
    const reportId = (first.data as { reportId: string }).reportId;
    await expect
      .poll(() => latest(mod.deltas, 'report').get(reportId))
      .toMatchObject({
        kind: 'message',
        itemId: msg.id,
        text: 'Something rude',
        authorName: 'Author <i>A</i>',
        authorId: author.userId,
        reporters: 1,
        reasons: ['Rude to a speaker'],
      });
    // The audience sees no report contents.
    await expect.poll(() => latest(watcher.deltas, 'report').has(reportId)).toBe(true);
    expect(latest(watcher.deltas, 'report').get(reportId)).toBeNull();

    // Again from the same person (a new op id): refused, nothing changes.
    const before = await reportState();
    expect(await report(r1, msg.id, 'Really rude')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await reportState()).toEqual(before);

    const second = await report(r2, msg.id);
    expect(second).toMatchObject({ ok: true, data: { reportId } });
    await expect.poll(() => (latest(mod.deltas, 'report').get(reportId) as ChatReport)?.reporters).toBe(2);

    const staffView = (await mod.snapshot()).reports[reportId]!;
    expect(staffView).toMatchObject({ reporters: 2, reasons: ['Rude to a speaker'], text: 'Something rude' });
    expect((await watcher.snapshot()).reports).toEqual({});
    closeAll(r1, r2);
  });

  it('keeps the latest five reasons', async () => {
    const msg = await post('Spammy');
    let reportId = '';
    for (let i = 1; i <= 7; i++) {
      const p = await member(t, event, 'audience', `R${i}`);
      reportId = ((await report(p, msg.id, `reason ${i}`)).data as { reportId: string }).reportId;
      closeAll(p);
    }
    const r = (await mod.snapshot()).reports[reportId]!;
    expect(r.reporters).toBe(7);
    expect(r.reasons).toEqual(['reason 3', 'reason 4', 'reason 5', 'reason 6', 'reason 7']);
  });

  it('reports a question through the target Q&A registered', async () => {
    const ask = await author.emit('qa:ask', { slug: event.slug, opId: op(), text: 'Is this a question?' });
    expect(ask.ok).toBe(true);
    const questionId = String((ask.data as { id: string | number }).id);
    const r = await report(watcher, questionId, 'Off topic', 'question');
    expect(r.ok).toBe(true);
    const reportId = (r.data as { reportId: string }).reportId;
    await expect
      .poll(() => latest(mod.deltas, 'report').get(reportId))
      .toMatchObject({
        kind: 'question',
        itemId: questionId,
        text: 'Is this a question?',
        reporters: 1,
      });
  });

  it('refuses unknown items, bad kinds, bad reasons and visitors, changing nothing', async () => {
    const before = await reportState();
    const version = (await chatState(t, event.id)).version;
    expect(await report(watcher, '1-0')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await report(watcher, 'not-an-id')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await report(watcher, '999999', undefined, 'question')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const msg = await post('Fine message');
    const afterPost = await chatState(t, event.id);
    expect(await report(watcher, msg.id, undefined, 'poll')).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await report(watcher, msg.id, 'x'.repeat(201))).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await report(watcher, msg.id, 'bell\u0007')).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    const visitor = await member(t, event, 'visitor');
    expect(await report(visitor, msg.id)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await reportState()).toEqual(before);
    expect(afterPost.version).toBe(String(Number(version) + 1));
    expect((await chatState(t, event.id)).version).toBe(afterPost.version);
    closeAll(visitor);
  });
});

describe('reviewing', () => {
  async function reported(text: string) {
    const msg = await post(text);
    const ack = await report(watcher, msg.id, 'Please look');
    return { msg, reportId: (ack.data as { reportId: string }).reportId };
  }

  it('dismissing closes the report and keeps the message', async () => {
    const { msg, reportId } = await reported('Borderline but fine');
    const ack = await review(mod, reportId, 'dismissed');
    expect(ack).toMatchObject({ ok: true, data: { kind: 'message', itemId: msg.id, removed: false } });
    await expect.poll(() => latest(mod.deltas, 'report').get(reportId)).toBeNull();
    expect((await mod.snapshot()).reports[reportId]).toBeUndefined();
    expect((await t.redis.xRange(chatKeys(event.id).msgs, msg.id, msg.id)) ?? []).toHaveLength(1);
    // Reviewed already: not found; the same person still cannot report it twice.
    expect(await review(mod, reportId, 'resolved')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await report(watcher, msg.id)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('resolving with removeItem deletes the message on every screen', async () => {
    const { msg, reportId } = await reported('Delete this via the report');
    const ack = await review(mod, reportId, 'resolved', true);
    expect(ack).toMatchObject({ ok: true, data: { removed: true } });
    await expect.poll(() => latest(watcher.deltas, 'message').get(msg.id)).toBeNull();
    await expect.poll(() => latest(mod.deltas, 'report').get(reportId)).toBeNull();
    expect((await t.redis.xRange(chatKeys(event.id).msgs, msg.id, msg.id)) ?? []).toEqual([]);
  });

  it('deleting a reported message closes its report', async () => {
    const { msg, reportId } = await reported('Deleted directly');
    expect((await mod.emit('chat:delete', { slug: event.slug, opId: op(), id: msg.id })).ok).toBe(true);
    await expect.poll(() => latest(mod.deltas, 'report').get(reportId)).toBeNull();
    expect((await mod.snapshot()).reports[reportId]).toBeUndefined();
  });

  it('refuses review from audience and speakers, and unknown report ids, changing nothing', async () => {
    const { reportId } = await reported('Still open');
    const speaker = await member(t, event, 'speaker');
    const before = await reportState();
    for (const m of [watcher, author, speaker]) {
      expect(await review(m, reportId, 'resolved', true)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await review(mod, '999999', 'dismissed')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await review(mod, 'abc', 'dismissed')).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await reportState()).toEqual(before);
    closeAll(speaker);
  });
});
