import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '@colloquy/shared';
import type { Principal } from '../auth/principal.ts';

/** What the server knows about a socket; set during the handshake, never from payloads. */
export interface SocketData {
  principal: Principal | null;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
