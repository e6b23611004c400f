/** How the audience gets into an event, and who registered. */
import { uuidv7 } from 'uuidv7';
import type { AccessMode, AccessSettings, Registration } from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { makeLinkToken, readLinkToken, sameSecret } from './tokens.ts';

interface StoredAccess {
  mode: AccessMode;
  passcodeHash: string | null;
}
type StoredRegistration = Registration & { userId: string };
interface StoredJoinToken {
  eventId: string;
  registrationId: string;
  displayName: string;
  secretHash: string;
}

const accessKey = (eventId: string) => `${PREFIX}event-access:${eventId}`;
const registrationsKey = (eventId: string) => `${PREFIX}registrations:${eventId}`;
const joinTokenKey = (id: string) => `${PREFIX}join-token:${id}`;

export class AudienceStore {
  private readonly redis: Redis;
  private readonly secret: string;
  constructor(redis: Redis, secret: string) {
    this.redis = redis;
    this.secret = secret;
  }

  private async access(eventId: string): Promise<StoredAccess> {
    const raw = await this.redis.get(accessKey(eventId));
    return raw ? (JSON.parse(raw) as StoredAccess) : { mode: 'open', passcodeHash: null };
  }

  async settings(eventId: string): Promise<AccessSettings> {
    const a = await this.access(eventId);
    return { mode: a.mode, hasPasscode: !!a.passcodeHash };
  }

  async setSettings(eventId: string, mode: AccessMode, passcode: string | undefined): Promise<AccessSettings> {
    const current = await this.access(eventId);
    const next: StoredAccess = { mode, passcodeHash: passcode ? await hashPassword(passcode) : current.passcodeHash };
    await this.redis.set(accessKey(eventId), JSON.stringify(next));
    return { mode, hasPasscode: !!next.passcodeHash };
  }

  async passcodeMatches(eventId: string, passcode: string): Promise<boolean> {
    const a = await this.access(eventId);
    return !!a.passcodeHash && (await verifyPassword(a.passcodeHash, passcode));
  }

  /** Registers (or updates the registration of) an email; returns a fresh personal join token. */
  async register(eventId: string, r: Omit<Registration, 'id' | 'registeredAt' | 'consentAt'> & { userId: string }) {
    const existingRaw = await this.redis.hGet(registrationsKey(eventId), r.email);
    const existing = existingRaw ? (JSON.parse(existingRaw) as StoredRegistration) : null;
    const now = new Date().toISOString();
    const reg: StoredRegistration = {
      ...r,
      id: existing?.id ?? uuidv7(),
      registeredAt: existing?.registeredAt ?? now,
      consentAt: now,
    };
    const tokenId = uuidv7();
    const { token, secretHash } = makeLinkToken(this.secret, tokenId);
    const stored: StoredJoinToken = { eventId, registrationId: reg.id, displayName: reg.displayName, secretHash };
    await this.redis
      .multi()
      .hSet(registrationsKey(eventId), r.email, JSON.stringify(reg))
      .set(joinTokenKey(tokenId), JSON.stringify(stored))
      .exec();
    return { registration: reg, token };
  }

  async list(eventId: string): Promise<Registration[]> {
    const all = Object.values(await this.redis.hGetAll(registrationsKey(eventId))).map(
      (v) => JSON.parse(v) as StoredRegistration,
    );
    return all.sort((a, b) => a.registeredAt.localeCompare(b.registeredAt)).map(({ userId: _u, ...r }) => r);
  }

  /** The registration a personal join token names, if it is genuine and for this event. */
  async readJoinToken(eventId: string, token: string): Promise<{ displayName: string } | null> {
    const read = readLinkToken(this.secret, token);
    if (!read) return null;
    const raw = await this.redis.get(joinTokenKey(read.id));
    const stored = raw ? (JSON.parse(raw) as StoredJoinToken) : null;
    if (!stored || stored.eventId !== eventId || !sameSecret(stored.secretHash, read.secretHash)) return null;
    return { displayName: stored.displayName };
  }
}
