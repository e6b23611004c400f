import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawnService, waitUntilReady, type ManagedChild } from './child.ts';

export interface RedisServerHandle {
  url: string;
  port: number;
  child: ManagedChild;
}

/** Sends PING over a raw socket; true on +PONG. Used as a readiness probe before any client exists. */
export function pingRedis(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
    sock.on('connect', () => sock.write('PING\r\n'));
  });
}

/**
 * Starts redis-server on 127.0.0.1 with the append-only file on (fsync every second),
 * its data in `dir`. RDB snapshots are off: the AOF is the record.
 */
export async function startRedisServer(opts: {
  binary: string;
  port: number;
  dir: string;
  databases?: number;
}): Promise<RedisServerHandle> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const logFile = path.join(opts.dir, 'redis-server.log');
  const child = spawnService(
    'redis-server',
    opts.binary,
    [
      '--port',
      String(opts.port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      opts.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--databases',
      String(opts.databases ?? 16),
    ],
    logFile,
  );
  await waitUntilReady(child, () => pingRedis(opts.port), { logFile });
  return { url: `redis://127.0.0.1:${opts.port}`, port: opts.port, child };
}
