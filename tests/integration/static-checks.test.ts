/** `npm run check` (tsc, svelte-check, ESLint, Prettier) is part of the test run, so CI fails on a type or lint error. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('static checks', () => {
  it('types, lint and formatting pass', { timeout: 600_000 }, () => {
    const run = spawnSync('bash', [path.join(ROOT, 'server/bin/check.sh')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: process.env,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-4000)).toBe(0);
    expect(output).toContain('all checks passed');
  });
});
