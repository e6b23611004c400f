/**
 * The recording feature's Redis access. Other features call this module (through
 * recording.ts), never these keys.
 *
 *   cq:rec:by-event:<eventId>   → recording id (one recording per event; going live again adds segments)
 *   cq:rec:<id>                 hash: the record, its status and the processing job's progress
 *   cq:rec:<id>:seg             hash: per segment `<n>:seq` (next expected), `<n>:bytes`, `<n>:at`
 *   cq:rec:settings:<eventId>   "0" when the organizer switched recording off
 *   cq:rec:active               ids being recorded (recording/stopping), reconciled after a restart
 *   cq:rec:jobs                 ids with a queued or running job, resumed after a restart
 *   cq:rec:lock:<id>            the node running the job (expires unless renewed)
 */
import { uuidv7 } from 'uuidv7';
import type { RecordingSegment, RecordingStatus } from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';

const K = {
  byEvent: (eventId: string) => `${PREFIX}rec:by-event:${eventId}`,
  rec: (id: string) => `${PREFIX}rec:${id}`,
  seg: (id: string) => `${PREFIX}rec:${id}:seg`,
  settings: (eventId: string) => `${PREFIX}rec:settings:${eventId}`,
  active: `${PREFIX}rec:active`,
  jobs: `${PREFIX}rec:jobs`,
  lock: (id: string) => `${PREFIX}rec:lock:${id}`,
};

/** What the job wrote, relative to the media dir (URLs) or the recordings dir (audio). */
export interface RecordingOutputs {
  /** Folder of this run under <mediaDir>/recordings, e.g. "<eventId>/<id>/r2". */
  dir: string;
  mp4: string;
  hls: string;
  poster: string;
  /** 16 kHz mono WAV for the transcriber (absolute path, not served). */
  audio: string;
}

export interface StoredRecording {
  id: string;
  eventId: string;
  source: 'live' | 'file';
  status: RecordingStatus;
  startedAt: string;
  endedAt: string | null;
  /** While stopping: when chunks stop being accepted. */
  stopDeadline: number | null;
  segmentCount: number;
  progress: number;
  step: string | null;
  error: string | null;
  runs: number;
  durationSeconds: number | null;
  outputs: RecordingOutputs | null;
  /** For file ingests: the file fed in. */
  inputFile: string | null;
  updatedAt: string;
}

export interface SegmentState {
  index: number;
  nextSeq: number;
  bytes: number;
  startedAt: string;
}

// KEYS: seg hash, rec hash; ARGV: segment, seq, bytes after the chunk, now
// Returns -1 when recorded, else the sequence number the segment expects.
const ACK = `
local expected = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':seq') or '-1')
if expected ~= tonumber(ARGV[2]) then return expected end
redis.call('HSET', KEYS[1], ARGV[1] .. ':seq', expected + 1, ARGV[1] .. ':bytes', ARGV[3])
redis.call('HSET', KEYS[2], 'updatedAt', ARGV[4])
return -1`;

// KEYS: rec hash, seg hash; ARGV: now. Opens the next segment and returns its index.
const NEW_SEGMENT = `
local n = redis.call('HINCRBY', KEYS[1], 'segmentCount', 1) - 1
redis.call('HSET', KEYS[2], n .. ':seq', 0, n .. ':bytes', 0, n .. ':at', ARGV[1])
return n`;

// KEYS: rec hash; ARGV: expected status, field/value pairs... Sets them only if the status is still the expected one.
const CAS = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

function parse(h: Record<string, string>): StoredRecording | null {
  if (!h.id) return null;
  return {
    id: h.id,
    eventId: h.eventId!,
    source: h.source === 'file' ? 'file' : 'live',
    status: (h.status ?? 'recording') as RecordingStatus,
    startedAt: h.startedAt!,
    endedAt: h.endedAt || null,
    stopDeadline: h.stopDeadline ? Number(h.stopDeadline) : null,
    segmentCount: Number(h.segmentCount ?? 0),
    progress: Number(h.progress ?? 0),
    step: h.step || null,
    error: h.error || null,
    runs: Number(h.runs ?? 0),
    durationSeconds: h.durationSeconds ? Number(h.durationSeconds) : null,
    outputs: h.outputs ? (JSON.parse(h.outputs) as RecordingOutputs) : null,
    inputFile: h.inputFile || null,
    updatedAt: h.updatedAt ?? h.startedAt!,
  };
}

export class RecordingStore {
  private readonly redis: Redis;
  constructor(redis: Redis) {
    this.redis = redis;
  }

  async get(id: string): Promise<StoredRecording | null> {
    return parse(await this.redis.hGetAll(K.rec(id)));
  }

  async idForEvent(eventId: string): Promise<string | null> {
    return this.redis.get(K.byEvent(eventId));
  }

  async forEvent(eventId: string): Promise<StoredRecording | null> {
    const id = await this.idForEvent(eventId);
    return id ? this.get(id) : null;
  }

  /**
   * The event's recording, created if there is none, set to `recording` (unless it already is
   * recording or stopping, or a job is running on it). Returns it and whether it was newly made.
   */
  async startRecording(eventId: string, now: Date): Promise<{ rec: StoredRecording; created: boolean }> {
    const fresh = uuidv7();
    const iso = now.toISOString();
    const set = await this.redis.set(K.byEvent(eventId), fresh, { condition: 'NX' });
    const id = set ? fresh : (await this.redis.get(K.byEvent(eventId)))!;
    if (set) {
      await this.redis.hSet(K.rec(id), {
        id,
        eventId,
        source: 'live',
        status: 'recording',
        startedAt: iso,
        segmentCount: 0,
        progress: 0,
        runs: 0,
        updatedAt: iso,
      });
    } else {
      const cur = await this.get(id);
      if (cur && (cur.status === 'ready' || cur.status === 'failed' || cur.status === 'queued')) {
        await this.redis
          .multi()
          .hSet(K.rec(id), { status: 'recording', updatedAt: iso, source: 'live' })
          .hDel(K.rec(id), ['endedAt', 'stopDeadline'])
          .sRem(K.jobs, id)
          .exec();
      } else if (cur?.status === 'stopping') {
        await this.redis.hSet(K.rec(id), { status: 'recording', updatedAt: iso });
        await this.redis.hDel(K.rec(id), ['endedAt', 'stopDeadline']);
      }
    }
    await this.redis.sAdd(K.active, id);
    return { rec: (await this.get(id))!, created: !!set };
  }

  /** A recording made from a file (the demo): no live segments, straight to the queue. */
  async createFromFile(eventId: string, inputFile: string, now: Date): Promise<StoredRecording> {
    const existing = await this.idForEvent(eventId);
    const id = existing ?? uuidv7();
    const iso = now.toISOString();
    await this.redis
      .multi()
      .set(K.byEvent(eventId), id)
      .del(K.seg(id))
      .hSet(K.rec(id), {
        id,
        eventId,
        source: 'file',
        status: 'queued',
        startedAt: iso,
        endedAt: iso,
        segmentCount: 0,
        progress: 0,
        runs: 0,
        inputFile,
        updatedAt: iso,
      })
      .hDel(K.rec(id), ['error', 'step', 'stopDeadline'])
      .sRem(K.active, id)
      .sAdd(K.jobs, id)
      .exec();
    return (await this.get(id))!;
  }

  async newSegment(id: string, now: Date): Promise<number> {
    return Number(await this.redis.eval(NEW_SEGMENT, { keys: [K.rec(id), K.seg(id)], arguments: [now.toISOString()] }));
  }

  async segment(id: string, n: number): Promise<SegmentState | null> {
    const [seq, bytes, at] = await this.redis.hmGet(K.seg(id), [`${n}:seq`, `${n}:bytes`, `${n}:at`]);
    if (seq == null) return null;
    return { index: n, nextSeq: Number(seq), bytes: Number(bytes ?? 0), startedAt: at ?? '' };
  }

  async segments(rec: StoredRecording): Promise<RecordingSegment[]> {
    const h = await this.redis.hGetAll(K.seg(rec.id));
    const out: RecordingSegment[] = [];
    for (let n = 0; n < rec.segmentCount; n++) {
      if (h[`${n}:seq`] == null) continue;
      out.push({
        index: n,
        chunks: Number(h[`${n}:seq`]),
        bytes: Number(h[`${n}:bytes`] ?? 0),
        startedAt: h[`${n}:at`] ?? '',
      });
    }
    return out;
  }

  /** Records chunk `seq` of segment `n` as stored; -1 on success, else the expected sequence number. */
  async ack(id: string, n: number, seq: number, bytesAfter: number, now: Date): Promise<number> {
    return Number(
      await this.redis.eval(ACK, {
        keys: [K.seg(id), K.rec(id)],
        arguments: [String(n), String(seq), String(bytesAfter), now.toISOString()],
      }),
    );
  }

  /** Sets fields only while the status is `expected`; false when it changed meanwhile. */
  async casStatus(id: string, expected: RecordingStatus, fields: Record<string, string | number>): Promise<boolean> {
    const args: string[] = [expected];
    for (const [k, v] of Object.entries(fields)) args.push(k, String(v));
    return Number(await this.redis.eval(CAS, { keys: [K.rec(id)], arguments: args })) === 1;
  }

  async update(id: string, fields: Record<string, string | number>): Promise<void> {
    await this.redis.hSet(K.rec(id), fields);
  }

  async clear(id: string, fields: string[]): Promise<void> {
    await this.redis.hDel(K.rec(id), fields);
  }

  /** Moves a recording out of the active set into the job queue (status queued). */
  async enqueue(id: string, now: Date): Promise<void> {
    await this.redis
      .multi()
      .hSet(K.rec(id), { status: 'queued', progress: 0, step: 'waiting', updatedAt: now.toISOString() })
      .hDel(K.rec(id), ['error', 'stopDeadline'])
      .sRem(K.active, id)
      .sAdd(K.jobs, id)
      .exec();
  }

  async finishJob(id: string): Promise<void> {
    await this.redis.sRem(K.jobs, id);
  }

  async removeActive(id: string): Promise<void> {
    await this.redis.sRem(K.active, id);
  }

  activeIds(): Promise<string[]> {
    return this.redis.sMembers(K.active);
  }

  jobIds(): Promise<string[]> {
    return this.redis.sMembers(K.jobs);
  }

  /** Takes (or renews, with the same owner) the processing lock for `ttlMs`. */
  async lock(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const got = await this.redis.set(K.lock(id), owner, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
    if (got) return true;
    if ((await this.redis.get(K.lock(id))) !== owner) return false;
    await this.redis.pExpire(K.lock(id), ttlMs);
    return true;
  }

  async unlock(id: string, owner: string): Promise<void> {
    if ((await this.redis.get(K.lock(id))) === owner) await this.redis.del(K.lock(id));
  }

  async enabled(eventId: string): Promise<boolean> {
    return (await this.redis.get(K.settings(eventId))) !== '0';
  }

  async setEnabled(eventId: string, enabled: boolean): Promise<void> {
    if (enabled) await this.redis.del(K.settings(eventId));
    else await this.redis.set(K.settings(eventId), '0');
  }
}
