import { describe, expect, it } from 'vitest';
import type { Poll, QaQuestion } from '@colloquy/shared';
import { buildArchive, shorten, timeMapper, type ArchiveInput } from './archive.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const question = (id: string, over: Partial<QaQuestion> = {}): QaQuestion => ({
  id,
  text: `Question ${id}`,
  status: 'approved',
  votes: 0,
  createdAt: at(0),
  edited: false,
  anonymous: false,
  author: { id: 'u1', name: 'Amina' },
  ...over,
});

const poll = (id: string, over: Partial<Poll> = {}): Poll => ({
  id,
  kind: 'single',
  question: `Poll ${id}?`,
  options: [
    { id: 'o1', text: 'Yes' },
    { id: 'o2', text: 'No' },
  ],
  state: 'closed',
  published: true,
  seq: 1,
  createdAt: at(0),
  openedAt: at(30),
  closedAt: at(60),
  results: { voters: 3, counts: { o1: 2, o2: 1 } },
  ...over,
});

const base = (over: Partial<ArchiveInput> = {}): ArchiveInput => ({
  slug: 'panel',
  recording: {
    status: 'ready',
    startedAt: at(0),
    segments: [],
    durationSeconds: 600,
    progress: 100,
    step: 'done',
    mp4Url: '/media/r/recording.mp4',
    hlsUrl: '/media/r/hls/master.m3u8',
    posterUrl: '/media/r/poster.jpg',
  },
  fallbackStart: at(0),
  transcript: null,
  questions: [],
  polls: [],
  ...over,
});

describe('timeMapper', () => {
  it('counts seconds from the start, clamped to [0, duration]', () => {
    const map = timeMapper(at(0), [], 100);
    expect(map(at(12.34))).toBe(12.3);
    expect(map(at(-5))).toBe(0);
    expect(map(at(500))).toBe(100);
    expect(timeMapper(at(0))(at(500))).toBe(500);
  });

  it('places instants in a resumed recording by its segments, concatenated without the gap', () => {
    const segments = [
      { index: 0, startedAt: at(0), chunks: 60, bytes: 1 },
      { index: 1, startedAt: at(100), chunks: 30, bytes: 1 },
    ];
    const map = timeMapper(at(0), segments);
    expect(map(at(10))).toBe(10);
    expect(map(at(80))).toBe(60); // in the gap: the start of the next segment
    expect(map(at(110))).toBe(70);
    expect(map(at(500))).toBe(90);
  });
});

describe('buildArchive', () => {
  it('keeps answered questions with their moments, published closed polls, and orders the chapters', () => {
    const a = buildArchive(
      base({
        questions: [
          question('1', { status: 'answered', answeringAt: [{ start: at(200), end: at(260) }] }),
          question('2'),
          question('3', {
            status: 'answered',
            text: 'A very long question about how schools on weak networks can keep every learner connected all year',
            anonymous: true,
            author: null,
            answeringAt: [
              { start: at(400), end: at(420) },
              { start: at(90), end: at(120) },
            ],
          }),
          question('4', { status: 'answered' }),
        ],
        polls: [
          poll('p1'),
          poll('p2', { published: false }),
          poll('p3', { state: 'open', closedAt: null }),
          poll('p4', { openedAt: at(-20) }),
        ],
      }),
    );
    expect(a.recording?.status).toBe('ready');
    expect(a.processing).toBeNull();
    expect(a.questions.map((q) => [q.id, q.answeredAt, q.author])).toEqual([
      ['3', [90, 400], null],
      ['1', [200], 'Amina'],
      ['4', [], 'Amina'],
    ]);
    expect(a.polls.map((p) => p.id)).toEqual(['p1', 'p4']);
    expect(a.chapters.map((c) => [c.start, c.kind, c.refId ?? null])).toEqual([
      [0, 'opening', null],
      [0, 'poll', 'p4'],
      [30, 'poll', 'p1'],
      [90, 'question', '3'],
      [200, 'question', '1'],
    ]);
    const long = a.chapters.find((c) => c.refId === '3')!.title;
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows processing progress instead of a recording while it is prepared', () => {
    const r = base().recording!;
    const a = buildArchive(
      base({ recording: { ...r, status: 'processing', progress: 42, step: 'encoding MP4', mp4Url: null } }),
    );
    expect(a.recording).toBeNull();
    expect(a.processing).toEqual({ progress: 42, step: 'encoding MP4' });
    expect(buildArchive(base({ recording: { ...r, status: 'failed' } })).processing).toBeNull();
    expect(
      buildArchive(base({ recording: { ...r, status: 'stopping', progress: 100, step: 'done' } })).processing,
    ).toEqual({
      progress: 0,
      step: 'finishing the recording',
    });
    expect(buildArchive(base({ recording: null })).processing).toBeNull();
  });

  it('serves the transcript without word timings, with its download URLs', () => {
    const a = buildArchive(
      base({
        slug: 'living-lab-3',
        transcript: {
          eventId: 'e',
          version: 2,
          source: 'pocketsphinx',
          language: 'en',
          updatedAt: at(0),
          cues: [{ id: 'c1', start: 1, end: 2, text: 'Hello', words: [{ start: 1, end: 2, text: 'hello' }] }],
        },
      }),
    );
    expect(a.transcript).toEqual({
      cues: [{ id: 'c1', start: 1, end: 2, text: 'Hello' }],
      vttUrl: '/events/living-lab-3/transcript.vtt',
      txtUrl: '/events/living-lab-3/transcript.txt',
      language: 'en',
    });
  });
});

describe('shorten', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    expect(shorten('short')).toBe('short');
    expect(shorten('one two three four five', 12)).toBe('one two…');
  });
});
