/**
 * Rate limits, kept in Redis (so they hold across nodes) by rate-limiter-flexible. Refusals are
 * `rate_limited` errors carrying the wait in milliseconds; HTTP turns them into 429 + Retry-After.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors.ts';
import { PREFIX, type Redis } from '../store/redis.ts';

export class RateLimitedError extends AppError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super('rate_limited', `Too many attempts. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
    this.retryAfterMs = retryAfterMs;
  }
  override toBody() {
    return { ...super.toBody(), retryAfterMs: this.retryAfterMs };
  }
}

function limiter(redis: Redis, name: string, points: number, durationSeconds: number) {
  return new RateLimiterRedis({
    storeClient: redis,
    useRedisPackage: true,
    keyPrefix: `${PREFIX}rl:${name}`,
    points,
    duration: durationSeconds,
  });
}

/** Consumes one point or throws RateLimitedError. */
async function take(l: RateLimiterRedis, key: string, points = 1): Promise<void> {
  try {
    await l.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new RateLimitedError(err.msBeforeNext);
    throw err;
  }
}

export interface RateLimits {
  /** Before checking a password: refuse when this account has had 10 failures in the last minute. */
  loginAccountCheck(email: string): Promise<void>;
  loginAccountFailed(email: string): Promise<void>;
  loginIp(ip: string): Promise<void>;
  registration(ip: string): Promise<void>;
  inviteRedeem(ip: string): Promise<void>;
  tokenMint(userId: string): Promise<void>;
  catalogueWrite(userId: string): Promise<void>;
  socketEvent(personKey: string): Promise<void>;
  /** Raising or lowering a hand on the stage: 6 a minute per person. */
  stageHand(userId: string): Promise<void>;
}

export function createRateLimits(redis: Redis): RateLimits {
  const account = limiter(redis, 'login-account', 10, 60);
  const ip = limiter(redis, 'login-ip', 50, 60);
  // Generous per address: a school lab or a conference room joins from behind one NAT.
  const registration = limiter(redis, 'registration', 30, 60);
  const redeem = limiter(redis, 'invite-redeem', 10, 60);
  const token = limiter(redis, 'token-mint', 30, 60);
  const write = limiter(redis, 'catalogue-write', 120, 60);
  const socket = limiter(redis, 'socket', 40, 10);
  const hand = limiter(redis, 'stage-hand', 6, 60);
  return {
    async loginAccountCheck(email) {
      const r = await account.get(email.toLowerCase());
      if (r && r.consumedPoints >= 10) throw new RateLimitedError(r.msBeforeNext);
    },
    async loginAccountFailed(email) {
      await account.penalty(email.toLowerCase(), 1);
    },
    loginIp: (k) => take(ip, k),
    registration: (k) => take(registration, k),
    inviteRedeem: (k) => take(redeem, k),
    tokenMint: (k) => take(token, k),
    catalogueWrite: (k) => take(write, k),
    socketEvent: (k) => take(socket, k),
    stageHand: (k) => take(hand, k),
  };
}
