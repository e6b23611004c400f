/** Who a stage participant is: the event's speaker with the same name, or what LiveKit tells us. */
import type { EventDetail } from '@colloquy/shared';
import type { TileView } from './room.svelte.ts';

export interface PersonInfo {
  name: string;
  title: string;
  organization: string;
  photoUrl: string | null;
}

type Speakers = Pick<EventDetail, 'speakers'>['speakers'];

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

export function personOf(tile: Pick<TileView, 'name' | 'attributes'>, speakers: Speakers): PersonInfo {
  const match = speakers.find((s) => norm(s.name) === norm(tile.name));
  if (match) {
    return { name: match.name, title: match.title, organization: match.organization, photoUrl: match.photoUrl };
  }
  return {
    name: tile.name,
    title: tile.attributes['title'] ?? '',
    organization: tile.attributes['organization'] ?? '',
    photoUrl: null,
  };
}

/** "Head of Research, Aga Khan Foundation" (empty parts left out). */
export const roleLine = (p: PersonInfo) => [p.title, p.organization].filter(Boolean).join(', ');
