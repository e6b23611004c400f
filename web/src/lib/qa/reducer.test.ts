import { describe, expect, it } from 'vitest';
import type { QaQuestion } from '@colloquy/shared';
import { pinnedQuestion, qaReducer, sortQuestions } from './reducer.ts';

const q = (id: string, votes: number, status: QaQuestion['status'] = 'approved'): QaQuestion => ({
  id,
  text: `Question ${id}`,
  status,
  votes,
  createdAt: new Date(Number(id) * 1000).toISOString(),
  edited: false,
  anonymous: false,
  author: { id: 'u', name: 'U' },
});

describe('qaReducer', () => {
  it('builds lookups from a snapshot, with cjson-safe defaults', () => {
    const v = qaReducer.fromSnapshot({
      staff: false,
      settings: { premoderation: true, pinnedId: '2' },
      questions: { '2': q('2', 3) },
      myVotes: ['2'],
      mine: [],
    });
    expect(v.myVotes).toEqual({ '2': true });
    expect(pinnedQuestion(v)?.id).toBe('2');
    expect(qaReducer.fromSnapshot(null)).toEqual(qaReducer.empty());
  });

  it('replaces whole values, removes on null, and forgets my vote on removal', () => {
    const v = qaReducer.fromSnapshot({ questions: { '1': q('1', 1) }, myVotes: ['1'] });
    qaReducer.apply(v, { kind: 'question', id: '1', data: q('1', 7) });
    expect(v.questions['1']!.votes).toBe(7);
    qaReducer.apply(v, { kind: 'question', id: '1', data: null });
    expect(v.questions['1']).toBeUndefined();
    expect(v.myVotes['1']).toBeUndefined();
  });

  it('keeps the audience author’s own pending question when the public view hides it', () => {
    const v = qaReducer.fromSnapshot({ questions: { '4': q('4', 0, 'pending') }, mine: ['4'] });
    qaReducer.apply(v, { kind: 'question', id: '4', data: null });
    expect(v.questions['4']?.status).toBe('pending');
    const staff = qaReducer.fromSnapshot({ staff: true, questions: { '4': q('4', 0, 'pending') }, mine: ['4'] });
    qaReducer.apply(staff, { kind: 'question', id: '4', data: null });
    expect(staff.questions['4']).toBeUndefined();
  });

  it('applies settings', () => {
    const v = qaReducer.empty();
    qaReducer.apply(v, { kind: 'settings', id: 'main', data: { premoderation: true, pinnedId: null } });
    expect(v.settings.premoderation).toBe(true);
  });
});

describe('sortQuestions', () => {
  it('sorts by votes (older first on a tie) or newest first', () => {
    const list = [q('1', 2), q('2', 5), q('3', 2), q('10', 0)];
    expect(sortQuestions(list, 'votes').map((x) => x.id)).toEqual(['2', '1', '3', '10']);
    expect(sortQuestions(list, 'time').map((x) => x.id)).toEqual(['10', '3', '2', '1']);
  });
});
