/**
 * One Q&A live channel per event in this browser tab, shared by the Q&A panel and the
 * "answering now" banner (also shown on the stage): each component acquires it when it mounts and
 * releases it when it goes; the last release closes it. Browser only (it opens the socket).
 */
import { LiveChannel } from '#lib/realtime/channel.svelte.ts';
import { qaReducer, type QaView } from './reducer.ts';

const open = new Map<string, { channel: LiveChannel<QaView>; users: number }>();

export function acquireQa(slug: string): LiveChannel<QaView> {
  let entry = open.get(slug);
  if (!entry) open.set(slug, (entry = { channel: new LiveChannel(slug, 'qa', qaReducer), users: 0 }));
  entry.users += 1;
  return entry.channel;
}

export function releaseQa(slug: string): void {
  const entry = open.get(slug);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  entry.channel.close();
  open.delete(slug);
}
