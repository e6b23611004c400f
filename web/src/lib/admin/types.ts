/** What the admin catalogue API answers (records as stored: input fields plus id and bookkeeping). */
import type { EventInput, Origin, SeriesInput, SpeakerInput } from '@colloquy/shared';

interface Bookkeeping {
  id: string;
  origin: Origin;
  createdAt: string;
  updatedAt: string;
}

export type AdminEvent = EventInput & Bookkeeping & { descriptionHtml: string };
export type AdminSeries = SeriesInput & Bookkeeping & { descriptionHtml: string };
export type AdminSpeaker = SpeakerInput & Bookkeeping;

export interface Items<T> {
  items: T[];
}

/** The signed-in person, as the root layout loads it. */
export type { Me } from '@colloquy/shared';
