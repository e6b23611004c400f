import { io as connect, type Socket } from 'socket.io-client';
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from '@colloquy/shared';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client, connected (or rejected) before it is returned. */
export async function socketFor(
  url: string,
  cookie = '',
  opts: { reconnection?: boolean } = {},
): Promise<ClientSocket> {
  const s: ClientSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    forceNew: true,
    reconnection: opts.reconnection ?? false,
    reconnectionDelay: 50,
  });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** Resolves with the time (ms) it took the server to disconnect the socket. */
export function disconnectedWithin(s: ClientSocket, ms: number): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    if (!s.connected) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    s.once('disconnect', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

export const ack = <T>(p: Promise<AckResult<T>>) => p;
