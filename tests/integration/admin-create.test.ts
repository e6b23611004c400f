/** `npm run admin:create` creates the first organizer from ADMIN_EMAIL / ADMIN_PASSWORD. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { OrganizerStore } from '../../server/src/auth/users.ts';
import { verifyPassword } from '../../server/src/auth/passwords.ts';
import { freshRedis } from '../support/app.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const redisPromise = freshRedis();
afterAll(async () => (await redisPromise).quit());

async function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const redis = await redisPromise;
  const db = (await redis.clientInfo()).db;
  const child = spawn(process.execPath, [path.join(ROOT, 'server/src/cli/admin-create.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), REDIS_URL: `${inject('redisUrl')}/${db}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('admin:create', () => {
  it('creates an organizer whose password verifies', async () => {
    const r = await run({ ADMIN_EMAIL: 'First@Example.org', ADMIN_PASSWORD: 'a strong first password' });
    expect(r.code, r.output).toBe(0);
    const user = await new OrganizerStore(await redisPromise).getByEmail('first@example.org');
    expect(user).not.toBeNull();
    expect(await verifyPassword(user!.passwordHash, 'a strong first password')).toBe(true);
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(r.output).not.toContain('a strong first password');
  });

  it('refuses a second account with the same email', async () => {
    const r = await run({ ADMIN_EMAIL: 'first@example.org', ADMIN_PASSWORD: 'another password here' });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/already exists/);
  });

  it('refuses a short password without a terminal to ask on', async () => {
    const r = await run({ ADMIN_EMAIL: 'second@example.org', ADMIN_PASSWORD: 'short' });
    expect(r.code).toBe(2);
    expect(r.output).toContain('ADMIN_PASSWORD');
  });
});
