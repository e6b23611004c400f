/**
 * A demo panel's live moments, timed from its recording's start: the audience questions (pinned
 * as "answering now" from the turn the moderator reads them out to the end of the answer) and the
 * polls (launched and closed at the start of their turns), written through the Q&A and polls
 * features' import helpers. Also the speaker cards the media shows.
 */
import type { CatalogueStore, EventRecord } from '../../events/store.ts';
import type { Live } from '../../live/registry.ts';
import { importClosedPolls } from '../../polls/import.ts';
import { importArchivedQuestions } from '../../qa/import.ts';
import { DEMO_SPEAKERS } from '../speakers.ts';
import type { CardSpeaker, PanelTimeline } from './media.ts';
import type { DemoPanelScript } from './scripts.ts';

/** The cards: the event's speakers as the catalogue has them (the demo's own data for any removed). */
export async function cardsFor(catalogue: CatalogueStore, event: EventRecord): Promise<CardSpeaker[]> {
  const stored = await catalogue.speakers.getMany(event.speakerIds);
  const all = [...stored, ...DEMO_SPEAKERS.filter((s) => !stored.some((x) => x.slug === s.slug))];
  return all.map((s) => ({ slug: s.slug, name: s.name, title: s.title ?? '', organization: s.organization ?? '' }));
}

/** Replaces the event's Q&A and polls with the script's; returns the question ids in script order. */
export async function importMoments(
  live: Live,
  event: EventRecord,
  script: DemoPanelScript,
  timeline: PanelTimeline,
  startedAt: string,
): Promise<string[]> {
  const base = Date.parse(startedAt);
  const at = (seconds: number) => new Date(base + Math.round(seconds * 1000)).toISOString();
  const turn = (n: number) => {
    const t = timeline.turns[n];
    if (!t) throw new Error(`${script.slug}: no turn ${n}`);
    return t;
  };
  const ids = await importArchivedQuestions(
    live,
    event,
    script.questions.map((q) => ({
      text: q.text,
      authorName: q.author,
      votes: q.votes,
      createdAt: at(Math.max(0, turn(q.asked).start - 20)),
      answeringAt: [{ start: at(turn(q.asked).start), end: at(turn(q.answered).end) }],
    })),
  );
  await importClosedPolls(
    live,
    event,
    script.polls.map((p) => ({
      question: p.question,
      options: p.options,
      counts: p.counts,
      openedAt: at(turn(p.opens).start),
      closedAt: at(turn(p.closes).start),
      published: true,
    })),
  );
  return ids;
}
