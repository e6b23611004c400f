/**
 * Finds (or installs, where it can) the binaries the embedded services need. When it cannot,
 * it throws an InstallError saying exactly what to install.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LIVEKIT_VERSION = 'v1.13.5';
export const LIVEKIT_MODULE = 'github.com/livekit/livekit-server/cmd/server';

export class InstallError extends Error {
  override name = 'InstallError';
}

type Say = (message: string) => void;

function which(cmd: string, extra: string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), ...extra];
  for (const dir of dirs) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Returns the path of redis-server, installing Debian's package when we are root. */
export function ensureRedisServer(say: Say): string {
  const found = which('redis-server', ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  if (found) return found;
  if (isRoot() && which('apt-get')) {
    say('installing redis-server with apt-get (one time)');
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const after = which('redis-server', ['/usr/bin', '/usr/sbin']);
    if (update.status === 0 && install.status === 0 && after) return after;
  }
  throw new InstallError(
    'redis-server is not installed and could not be installed automatically.\n' +
      '  Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis),\n' +
      '  or set REDIS_URL to an existing Redis 7+ server.',
  );
}

/** Path of the cached livekit-server binary for the pinned version. */
export function livekitBinaryPath(home: string): string {
  return path.join(home, 'bin', `livekit-server-${LIVEKIT_VERSION}`);
}

/** Returns the cached livekit-server, building it once with `go install` (takes minutes). */
export async function ensureLivekitServer(home: string, say: Say): Promise<string> {
  const target = livekitBinaryPath(home);
  if (fs.existsSync(target)) return target;
  const go = which('go', ['/usr/local/go/bin', path.join(os.homedir(), 'go', 'bin'), '/usr/lib/go/bin']);
  if (!go) {
    throw new InstallError(
      `livekit-server ${LIVEKIT_VERSION} is not built yet and Go is not installed.\n` +
        '  Install Go 1.24 or newer (https://go.dev/dl), then run again; or set LIVEKIT_URL,\n' +
        '  LIVEKIT_API_KEY and LIVEKIT_API_SECRET to use an existing LiveKit server.',
    );
  }
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'colloquy-gobin-'));
  say(`building livekit-server ${LIVEKIT_VERSION} with go install (one time, a few minutes)…`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', `${LIVEKIT_MODULE}@${LIVEKIT_VERSION}`], {
      env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let downloaded = 0;
    const ticker = setInterval(() => {
      say(
        `  still building livekit-server: ${Math.round((Date.now() - started) / 1000)} s, ${downloaded} modules fetched`,
      );
    }, 15_000);
    let errTail = '';
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      downloaded += (text.match(/go: downloading/g) ?? []).length;
      errTail = (errTail + text).slice(-2000);
    });
    child.on('error', (e) => {
      clearInterval(ticker);
      reject(e);
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new InstallError(`go install of livekit-server failed (exit ${code}):\n${errTail}`));
    });
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(gobin, 'server'), target);
  fs.chmodSync(target, 0o755);
  fs.rmSync(gobin, { recursive: true, force: true });
  say(`livekit-server built in ${Math.round((Date.now() - started) / 1000)} s, cached at ${target}`);
  return target;
}
