/**
 * A Lua script run by its SHA (EVALSHA). On NOSCRIPT (first use, or after a Redis restart) the
 * script is loaded once — concurrent callers share that one SCRIPT LOAD — and run by SHA again,
 * so a burst on a fresh server does not send the whole source thousands of times.
 */
import crypto from 'node:crypto';
import type { Redis } from '../store/redis.ts';

export class LuaScript {
  readonly source: string;
  readonly sha: string;
  private loading: Promise<unknown> | null = null;

  constructor(source: string) {
    this.source = source;
    this.sha = crypto.createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalSha(this.sha, { keys, arguments: args });
    } catch (err) {
      if (!String((err as Error).message).includes('NOSCRIPT')) throw err;
      await (this.loading ??= redis.scriptLoad(this.source).finally(() => (this.loading = null)));
      return redis.evalSha(this.sha, { keys, arguments: args });
    }
  }
}
