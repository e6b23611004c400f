/**
 * Browser sessions in Redis. The cookie holds a random token; Redis holds only its SHA-256, so a
 * leaked database does not leak sessions. Organizers and guests (audience, speakers, moderators
 * who joined by link) both have sessions; guests have no account, only a user id and a name.
 */
import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { PREFIX, type Redis } from '../store/redis.ts';

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;

export interface Session {
  /** SHA-256 of the token, hex: safe to use as a room or log id. */
  id: string;
  userId: string;
  kind: 'organizer' | 'guest';
  displayName: string;
  createdAt: string;
}

const key = (id: string) => `${PREFIX}session:${id}`;
const userIndex = (userId: string) => `${PREFIX}user-sessions:${userId}`;

export const sessionIdOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export class SessionStore {
  private readonly redis: Redis;
  constructor(redis: Redis) {
    this.redis = redis;
  }

  async create(init: {
    userId?: string;
    kind: Session['kind'];
    displayName: string;
  }): Promise<{ token: string; session: Session }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const session: Session = {
      id: sessionIdOf(token),
      userId: init.userId ?? uuidv7(),
      kind: init.kind,
      displayName: init.displayName,
      createdAt: new Date().toISOString(),
    };
    await this.redis
      .multi()
      .set(key(session.id), JSON.stringify(session), { expiration: { type: 'EX', value: SESSION_TTL_SECONDS } })
      .sAdd(userIndex(session.userId), session.id)
      .expire(userIndex(session.userId), SESSION_TTL_SECONDS)
      .exec();
    return { token, session };
  }

  async fromToken(token: string | undefined): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const raw = await this.redis.get(key(sessionIdOf(token)));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async rename(session: Session, displayName: string): Promise<Session> {
    const next = { ...session, displayName };
    await this.redis.set(key(session.id), JSON.stringify(next), { expiration: 'KEEPTTL' });
    return next;
  }

  async revoke(session: Session): Promise<void> {
    await this.redis.multi().del(key(session.id)).sRem(userIndex(session.userId), session.id).exec();
  }

  /** Revokes every session of a user; returns their ids so their sockets can be cut. */
  async revokeAll(userId: string): Promise<string[]> {
    const ids = await this.redis.sMembers(userIndex(userId));
    const m = this.redis.multi().del(userIndex(userId));
    for (const id of ids) m.del(key(id));
    await m.exec();
    return ids;
  }
}
