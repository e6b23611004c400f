/** Invite links for moderators and speakers: one event, one role, expiring, revocable. */
import { uuidv7 } from 'uuidv7';
import type { Invite, InviteCreateInput, InviteUse } from '@colloquy/shared';
import { AppError } from '../http/errors.ts';
import { PREFIX, type Redis } from '../store/redis.ts';
import { makeLinkToken, readLinkToken, sameSecret } from './tokens.ts';

type StoredInvite = Omit<Invite, 'uses'> & { secretHash: string; createdBy: string };

const key = (id: string) => `${PREFIX}invite:${id}`;
const usesKey = (id: string) => `${PREFIX}invite-uses:${id}`;
const eventIndex = (eventId: string) => `${PREFIX}event-invites:${eventId}`;

function publicView(s: StoredInvite, uses: InviteUse[]): Invite {
  const { secretHash: _h, createdBy: _c, ...rest } = s;
  return { ...rest, uses };
}

export class InviteStore {
  private readonly redis: Redis;
  private readonly secret: string;
  constructor(redis: Redis, secret: string) {
    this.redis = redis;
    this.secret = secret;
  }

  async create(
    eventId: string,
    input: InviteCreateInput,
    createdBy: string,
  ): Promise<{ invite: Invite; token: string }> {
    const id = uuidv7();
    const { token, secretHash } = makeLinkToken(this.secret, id);
    const now = Date.now();
    const stored: StoredInvite = {
      id,
      eventId,
      role: input.role,
      label: input.label,
      speakerId: input.speakerId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + input.expiresInHours * 3600_000).toISOString(),
      revokedAt: null,
      secretHash,
      createdBy,
    };
    await this.redis
      .multi()
      .set(key(id), JSON.stringify(stored))
      .zAdd(eventIndex(eventId), { score: now, value: id })
      .exec();
    return { invite: publicView(stored, []), token };
  }

  private async load(id: string): Promise<StoredInvite | null> {
    const raw = await this.redis.get(key(id));
    return raw ? (JSON.parse(raw) as StoredInvite) : null;
  }

  private async uses(id: string): Promise<InviteUse[]> {
    return (await this.redis.lRange(usesKey(id), 0, -1)).map((u) => JSON.parse(u) as InviteUse);
  }

  async listForEvent(eventId: string): Promise<Invite[]> {
    const ids = await this.redis.zRange(eventIndex(eventId), 0, -1, { REV: true });
    const out: Invite[] = [];
    for (const id of ids) {
      const s = await this.load(id);
      if (s) out.push(publicView(s, await this.uses(id)));
    }
    return out;
  }

  async revoke(eventId: string, id: string): Promise<Invite> {
    const s = await this.load(id);
    if (!s || s.eventId !== eventId) throw new AppError('not_found', 'No such invite for this event');
    if (!s.revokedAt) {
      s.revokedAt = new Date().toISOString();
      await this.redis.set(key(id), JSON.stringify(s));
    }
    return publicView(s, await this.uses(id));
  }

  /** The live invite a token names, or a typed error: invalid (tampered, unknown), revoked, expired. */
  async check(token: string): Promise<Invite> {
    const read = readLinkToken(this.secret, token);
    const s = read ? await this.load(read.id) : null;
    if (!read || !s || !sameSecret(s.secretHash, read.secretHash)) {
      throw new AppError('invite_invalid', 'This invite link is not valid. Ask the organizer for a new one.');
    }
    if (s.revokedAt)
      throw new AppError('invite_revoked', 'This invite link has been revoked. Ask the organizer for a new one.');
    if (Date.parse(s.expiresAt) <= Date.now()) {
      throw new AppError('invite_expired', 'This invite link has expired. Ask the organizer for a new one.');
    }
    return publicView(s, []);
  }

  async recordUse(id: string, use: InviteUse): Promise<void> {
    await this.redis.rPush(usesKey(id), JSON.stringify(use));
  }
}
