/**
 * Docker does not run on our machines, so docker-compose.yml and server/Dockerfile are kept correct
 * by reading them here: the services and their health checks, the app's environment against the
 * config module, and LiveKit's inline config against the app's keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, ENV_NAMES, loadConfig } from '../../server/src/config/index.ts';
import { LIVEKIT_VERSION } from '../../server/src/services/install.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: string | number; protocol?: string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(fs.readFileSync(COMPOSE_FILE, 'utf8')) as Compose;
const { app, redis, livekit } = compose.services as Record<'app' | 'redis' | 'livekit', Service>;

/** The environment block as written (before interpolation), list or map form. */
function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.split('=')[0]!, line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

class MissingVariable extends Error {}

/**
 * Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
 * ${VAR?error}, ${VAR:+alternative}, ${VAR+alternative}, against `vars` (the shell or .env).
 */
function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg = '', bare?: string) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const unset = value === undefined || (op?.startsWith(':') === true && value === '');
      switch (op?.replace(':', '')) {
        case '-':
          return unset ? interpolate(arg, vars) : value!;
        case '?':
          if (unset) throw new MissingVariable(`${name}: ${arg}`);
          return value!;
        case '+':
          return unset ? '' : interpolate(arg, vars);
        default:
          return value ?? '';
      }
    },
  );
}

const interpolateEnv = (env: Record<string, string>, vars: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, vars)]));

/** What a user gives: only the required secret; everything else takes its default. */
const USER_VARS = { LIVEKIT_API_SECRET: 'd'.repeat(40) };

const appEnv = environment(app);
const resolvedAppEnv = interpolateEnv(appEnv, USER_VARS);

function namedVolumeAt(s: Service, target: string): string | undefined {
  for (const v of s.volumes ?? []) {
    const [source, dest] = typeof v === 'string' ? v.split(':') : [v.source, v.target];
    if (dest === target && source && !source.startsWith('.') && !source.startsWith('/')) return source;
  }
  return undefined;
}

function publishedPorts(s: Service): string[] {
  return (s.ports ?? []).map((p) =>
    typeof p === 'object' ? `${p.published ?? p.target}:${p.target}/${p.protocol ?? 'tcp'}` : String(p),
  );
}

describe('docker-compose.yml', () => {
  it('has the app, redis and livekit services, each with a health check', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['app', 'redis', 'livekit']));
    for (const [name, s] of Object.entries({ app, redis, livekit })) {
      const test = s.healthcheck?.test;
      expect(s.healthcheck?.disable, name).not.toBe(true);
      expect(Array.isArray(test) ? test[0] : test, `${name} healthcheck`).toMatch(/^(CMD|CMD-SHELL)$/);
      expect((test as string[]).length, `${name} healthcheck`).toBeGreaterThan(1);
    }
    expect(JSON.stringify(app.healthcheck!.test)).toContain('/healthz');
    expect(JSON.stringify(redis.healthcheck!.test)).toContain('redis-cli ping');
  });

  it('keeps app and Redis data on named volumes declared at the top level', () => {
    const appVolume = namedVolumeAt(app, resolvedAppEnv.DATA_DIR!);
    const redisVolume = namedVolumeAt(redis, '/data');
    expect(appVolume, 'app volume on DATA_DIR').toBeDefined();
    expect(redisVolume, 'redis volume on /data').toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining([appVolume, redisVolume]));
  });

  it('runs Redis with the append-only file, fsync every second', () => {
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
  });

  it('sets on the app only variables the config module reads, and every one it needs', () => {
    const names = Object.keys(appEnv);
    expect(names.filter((n) => !(ENV_NAMES as string[]).includes(n))).toEqual([]);
    for (const required of [
      'REDIS_URL',
      'LIVEKIT_URL',
      'LIVEKIT_API_KEY',
      'LIVEKIT_API_SECRET',
      'PUBLIC_URL',
      'HOST',
    ]) {
      expect(names, required).toContain(required);
    }
  });

  it('points the app at the redis and livekit services by name', () => {
    expect(new URL(resolvedAppEnv.REDIS_URL!).hostname).toBe('redis');
    expect(new URL(resolvedAppEnv.LIVEKIT_URL!).hostname).toBe('livekit');
    // Browsers cannot resolve service names: they get a separate, published address.
    expect(new URL(resolvedAppEnv.LIVEKIT_PUBLIC_URL!).hostname).not.toBe('livekit');
  });

  it('gives the app an environment that loadConfig accepts, starting no embedded services', () => {
    let config;
    try {
      config = loadConfig(resolvedAppEnv, '/app');
    } catch (err) {
      throw err instanceof ConfigError ? new Error(err.message) : err;
    }
    expect(config.host).toBe('0.0.0.0');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.livekit).toMatchObject({
      embedded: false,
      url: 'ws://livekit:7880',
      apiSecret: USER_VARS.LIVEKIT_API_SECRET,
    });
    expect(config.dataDir).toBe('/data');
  });

  it('commits no secret: LIVEKIT_API_SECRET is a required variable without a default', () => {
    expect(appEnv.LIVEKIT_API_SECRET).toMatch(/^\$\{LIVEKIT_API_SECRET:?\?[^}]*\}$/);
    expect(() => interpolateEnv(appEnv, {})).toThrow(MissingVariable);
    expect(() => interpolate(environment(livekit).LIVEKIT_CONFIG!, {})).toThrow(MissingVariable);
  });

  it('waits for healthy redis and livekit before starting the app', () => {
    expect(app.depends_on).toMatchObject({
      redis: { condition: 'service_healthy' },
      livekit: { condition: 'service_healthy' },
    });
  });

  it('runs the pinned livekit-server with the app key pair, its ports published', () => {
    expect(livekit.image).toBe(`livekit/livekit-server:${LIVEKIT_VERSION}`);
    expect(LIVEKIT_VERSION).toBe('v1.13.5');
    const body = interpolate(environment(livekit).LIVEKIT_CONFIG!, USER_VARS);
    const lk = parse(body) as {
      port: number;
      keys: Record<string, string>;
      rtc: { tcp_port: number; udp_port: number | string; use_external_ip?: boolean; node_ip?: string };
    };
    expect(lk.keys).toEqual({ [resolvedAppEnv.LIVEKIT_API_KEY!]: resolvedAppEnv.LIVEKIT_API_SECRET });
    expect(String(lk.port)).toBe(new URL(resolvedAppEnv.LIVEKIT_URL!).port);
    const ports = publishedPorts(livekit);
    expect(ports).toContain(`${lk.port}:${lk.port}`);
    expect(ports).toContain(`${lk.rtc.tcp_port}:${lk.rtc.tcp_port}/tcp`);
    expect(ports).toContain(`${lk.rtc.udp_port}:${lk.rtc.udp_port}/udp`);
    // Published on the host: browsers reach LiveKit where LIVEKIT_PUBLIC_URL says.
    expect(new URL(resolvedAppEnv.LIVEKIT_PUBLIC_URL!).port).toBe(String(lk.port));
    // Redis is for the app only.
    expect(redis.ports ?? []).toEqual([]);
  });
});

describe('server/Dockerfile', () => {
  const build = typeof app.build === 'string' ? { context: app.build } : (app.build ?? {});
  const context = path.resolve(ROOT, build.context ?? '.');
  const dockerfilePath = path.resolve(context, build.dockerfile ?? 'Dockerfile');

  it('is the file the compose file names, with the repository root as context', () => {
    expect(context).toBe(ROOT);
    expect(path.relative(ROOT, dockerfilePath)).toBe(path.join('server', 'Dockerfile'));
    expect(fs.existsSync(dockerfilePath)).toBe(true);
  });

  it('builds on node:24-slim, installs with npm ci and starts server/src/cli/start.ts', () => {
    const text = fs.readFileSync(dockerfilePath, 'utf8');
    const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toBe('node:24-slim');
    expect(text).toMatch(/^RUN .*npm ci\b/m);
    expect(text).toMatch(/npm run build --workspace web/);
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(text);
    expect(JSON.parse(cmd![1]!)).toEqual(['node', 'server/src/cli/start.ts']);
    expect(fs.existsSync(path.join(ROOT, 'server/src/cli/start.ts'))).toBe(true);
  });

  it('copies every workspace manifest before npm ci, so the lockfile install matches', () => {
    const text = fs.readFileSync(dockerfilePath, 'utf8');
    const { workspaces } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    const firstCi = text.search(/npm ci\b/);
    for (const ws of workspaces) {
      const copy = text.indexOf(`COPY ${ws}/package.json`);
      expect(copy, `${ws}/package.json copied`).toBeGreaterThan(-1);
      expect(copy, `${ws}/package.json before npm ci`).toBeLessThan(firstCi);
    }
    expect(text).toMatch(/^COPY package\.json package-lock\.json/m);
  });

  it('has a .dockerignore that keeps host dependencies, data and secrets out of the context', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/.data', '**/.env', 'web/build']));
    for (const needed of ['package.json', 'package-lock.json', '.npmrc', 'server', 'shared', 'web', 'tsconfig.json']) {
      expect(ignore, needed).not.toContain(needed);
    }
  });
});
