import type http from 'node:http';
import { Server } from 'socket.io';
import { LIMITS } from '@colloquy/shared';
import { originAllowed } from '../http/origin.ts';
import { registerHandlers, type HandlerDeps, type HandlerTable } from './handlers.ts';
import { isStaff } from '../live/registry.ts';
import { eventIdOfRoom, sessionRoom, userRoom } from './rooms.ts';
import type { IoServer, IoSocket } from './types.ts';

/**
 * On a recovered connection, the restored rooms belonged to the identity the socket had before.
 * They are all left at once (synchronously, so no broadcast reaches a banned person in between),
 * then event rooms are re-joined only where the current identity is still welcome.
 */
async function refreshRooms(socket: IoSocket, d: HandlerDeps): Promise<void> {
  const restored = [...socket.rooms].filter((room) => room !== socket.id);
  for (const room of restored) void socket.leave(room);
  for (const room of restored) {
    const eventId = eventIdOfRoom(room);
    if (!eventId) continue;
    const { role, banned } = await d.principals.roleFor(socket.data.principal, eventId);
    const welcome = !banned && (!room.endsWith(':staff') || isStaff(role));
    if (welcome && socket.connected) await socket.join(room);
  }
}

export function createRealtime(
  httpServer: http.Server,
  opts: { publicUrl: string; handlers: HandlerTable; deps: HandlerDeps },
): IoServer {
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: LIMITS.socketMessageBytes,
    perMessageDeflate: false,
    // Socket.IO's `cors` option does not stop a cross-site WebSocket: check the Origin here.
    allowRequest: (req, callback) => {
      const ok = originAllowed(req.headers.origin, req.headers.host, opts.publicUrl);
      callback(ok ? null : 'origin not allowed', ok);
    },
    // Recovered sockets go through the middlewares again, so a changed role is never restored.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
  // Authenticates every (re)connection from the session cookie.
  io.use((socket, next) => {
    opts.deps.principals
      .fromCookieHeader(socket.handshake.headers.cookie)
      .then((principal) => {
        socket.data.principal = principal;
        next();
      })
      .catch(() => next(new Error('authentication unavailable')));
  });
  io.on('connection', async (socket) => {
    registerHandlers(socket, opts.handlers, opts.deps);
    if (socket.recovered) await refreshRooms(socket, opts.deps).catch(() => socket.disconnect(true));
    const p = socket.data.principal;
    if (p) await socket.join([sessionRoom(p.session.id), userRoom(p.userId)]);
  });
  return io;
}
