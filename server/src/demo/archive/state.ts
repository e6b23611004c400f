/**
 * The demo archive job's own records: per event id, the script hash and the recording its archive
 * was made from (one field of the `cq:demo-archive` hash); and the generated media cache under
 * DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CatalogueStore } from '../../events/store.ts';
import { PREFIX, type Redis } from '../../store/redis.ts';

export const STATE_KEY = `${PREFIX}demo-archive`;

export interface PanelState {
  hash: string;
  recordingId: string;
  /** The recording's start: second 0 of the moments written. */
  startedAt: string;
}

export async function readState(redis: Redis, eventId: string): Promise<PanelState | null> {
  const raw = await redis.hGet(STATE_KEY, eventId);
  return raw ? (JSON.parse(raw) as PanelState) : null;
}

export async function writeState(redis: Redis, eventId: string, s: PanelState): Promise<void> {
  await redis.hSet(STATE_KEY, eventId, JSON.stringify(s));
}

/** Drops the records of events that no longer exist (a reload of the demo gives new ids). */
export async function forgetRemovedEvents(redis: Redis, catalogue: CatalogueStore): Promise<void> {
  for (const id of await redis.hKeys(STATE_KEY)) {
    if (!(await catalogue.events.get(id))) await redis.hDel(STATE_KEY, id);
  }
}

/** The generated media cache of a data dir. */
export const demoMediaDir = (dataDir: string) => path.join(dataDir, 'demo-media');

/** Removes cached media no current script uses (older versions of the scripts). */
export function pruneDemoMedia(cacheDir: string, keep: readonly string[]): number {
  if (!fs.existsSync(cacheDir)) return 0;
  let removed = 0;
  for (const name of fs.readdirSync(cacheDir)) {
    const m = /^([0-9a-f]{24})\.(mp4|json)$/.exec(name);
    if (m && !keep.includes(m[1]!)) {
      fs.rmSync(path.join(cacheDir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
