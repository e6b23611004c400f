/** Per-event roles granted to people (by invite or by joining) and per-event bans. */
import type { EventRole } from '@colloquy/shared';
import { PREFIX, type Redis } from '../store/redis.ts';

const rolesKey = (eventId: string) => `${PREFIX}event-roles:${eventId}`;
const bansKey = (eventId: string) => `${PREFIX}event-bans:${eventId}`;
const RANK: Record<EventRole, number> = { audience: 1, speaker: 2, moderator: 3 };

// Grants a role unless the person already holds a higher one (an invited speaker who also
// registers stays a speaker).
const GRANT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local rank = { audience = 1, speaker = 2, moderator = 3 }
if current and rank[current] and rank[current] >= rank[ARGV[2]] then return current end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]`;

export class EventRoleStore {
  private readonly redis: Redis;
  constructor(redis: Redis) {
    this.redis = redis;
  }

  async grant(eventId: string, userId: string, role: EventRole): Promise<EventRole> {
    return (await this.redis.eval(GRANT, { keys: [rolesKey(eventId)], arguments: [userId, role] })) as EventRole;
  }

  async get(eventId: string, userId: string): Promise<EventRole | null> {
    const role = await this.redis.hGet(rolesKey(eventId), userId);
    return role && role in RANK ? (role as EventRole) : null;
  }

  /** Removes a granted role, only if it is still the one given (a later, higher grant stays). */
  async revoke(eventId: string, userId: string, role: EventRole): Promise<boolean> {
    if ((await this.get(eventId, userId)) !== role) return false;
    await this.redis.hDel(rolesKey(eventId), userId);
    return true;
  }

  async ban(eventId: string, userId: string): Promise<void> {
    await this.redis.multi().sAdd(bansKey(eventId), userId).hDel(rolesKey(eventId), userId).exec();
  }

  async isBanned(eventId: string, userId: string): Promise<boolean> {
    return (await this.redis.sIsMember(bansKey(eventId), userId)) === 1;
  }
}
