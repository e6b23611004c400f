import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const secret = 's'.repeat(40);

describe('loadConfig', () => {
  it('applies defaults: port 3000 on loopback, embedded Redis and LiveKit', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.dataDir).toBe('/srv/app/.data');
    expect(c.redisUrl).toBeUndefined();
    expect(c.livekit).toEqual({ embedded: true, publicUrl: undefined });
    expect(c.demoContent).toBe(true);
  });

  it('points at external services when their URLs are set', () => {
    const c = loadConfig({
      REDIS_URL: 'redis://cache:6379',
      LIVEKIT_URL: 'ws://livekit:7880',
      LIVEKIT_PUBLIC_URL: 'wss://media.example.org',
      LIVEKIT_API_KEY: 'APIkey',
      LIVEKIT_API_SECRET: secret,
      PUBLIC_URL: 'https://panels.example.org/',
      DEMO_CONTENT: 'false',
    });
    expect(c.redisUrl).toBe('redis://cache:6379');
    expect(c.livekit).toEqual({
      embedded: false,
      url: 'ws://livekit:7880',
      publicUrl: 'wss://media.example.org',
      apiKey: 'APIkey',
      apiSecret: secret,
    });
    expect(c.publicUrl).toBe('https://panels.example.org');
    expect(c.demoContent).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REDIS_URL: 'http://nope' }, 'REDIS_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO_CONTENT: 'maybe' }, 'DEMO_CONTENT'],
    [{ LIVEKIT_URL: 'ws://lk:7880' }, 'LIVEKIT_API_KEY'],
    [{ LIVEKIT_URL: 'ws://lk:7880', LIVEKIT_API_KEY: 'k12', LIVEKIT_API_SECRET: 'short' }, 'LIVEKIT_API_SECRET'],
  ])('rejects %o naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable('loadConfig accepted a bad value');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toContain(variable);
      expect((err as Error).message).toContain(variable);
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: ' ' }).port).toBe(3000);
  });
});
