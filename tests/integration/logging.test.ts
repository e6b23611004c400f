import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../server/src/http/app.ts';
import { createLogger } from '../../server/src/log/logger.ts';
import { freshRedis } from '../support/app.ts';
import type { Redis } from '../../server/src/store/redis.ts';

const lines: string[] = [];
let app: App;
let redis: Redis;
let origin: string;

beforeAll(async () => {
  redis = await freshRedis();
  const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  app = createApp({
    config: { publicUrl: 'http://127.0.0.1', trustProxy: false },
    redis,
    livekit: inject('livekit'),
    log,
  });
  origin = await app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await app.close();
  await redis.quit();
});

describe('request logs', () => {
  it('keep link tokens, cookies and the renderer proof out of the log', async () => {
    await fetch(`${origin}/api/invites/SECRETA.SECRETB.SECRETC`, {
      headers: { cookie: 'colloquy_session=SECRETD', 'x-colloquy-internal': 'SECRETE' },
    });
    await fetch(`${origin}/events/x/join?t=SECRETF`);
    await new Promise((r) => setTimeout(r, 100));
    const log = lines.join('');
    expect(log).toContain('/api/invites/[redacted]');
    expect(log).toContain('t=[redacted]');
    expect(log).not.toMatch(/SECRET/);
  });
});
