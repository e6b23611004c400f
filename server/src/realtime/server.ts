import type http from 'node:http';
import { Server } from 'socket.io';
import { LIMITS } from '@colloquy/shared';
import type { Logger } from '../log/logger.ts';
import { registerHandlers, type HandlerTable } from './handlers.ts';
import type { IoServer } from './types.ts';

/**
 * An Origin is accepted when it is the configured public origin or the same origin the request
 * was sent to. Socket.IO's `cors` option does not stop a cross-site WebSocket, so we check here.
 * Requests without an Origin come from non-browser clients, which carry no victim's cookies.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.origin === new URL(publicUrl).origin) return true;
  return !!host && o.host === host && (o.protocol === 'http:' || o.protocol === 'https:');
}

export function createRealtime(
  httpServer: http.Server,
  opts: { publicUrl: string; log: Logger; handlers: HandlerTable },
): IoServer {
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: LIMITS.socketMessageBytes,
    perMessageDeflate: false,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, opts.publicUrl);
      callback(ok ? null : 'origin not allowed', ok);
    },
    // Recovered sockets go through the middlewares again, so a changed role is never restored.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
  io.use((socket, next) => {
    socket.data.connectedAt = Date.now();
    next();
  });
  io.on('connection', (socket) => registerHandlers(socket, opts.handlers, opts.log));
  return io;
}
