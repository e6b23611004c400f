/** A Lua script run by its SHA (EVALSHA), loaded on first use and again after a Redis restart. */
import crypto from 'node:crypto';
import type { Redis } from '../store/redis.ts';

export class LuaScript {
  readonly source: string;
  readonly sha: string;
  constructor(source: string) {
    this.source = source;
    this.sha = crypto.createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalSha(this.sha, { keys, arguments: args });
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      return redis.eval(this.source, { keys, arguments: args });
    }
  }
}
