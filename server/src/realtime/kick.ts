/**
 * Cuts sockets when someone's access ends (logout, revoked session, ban). Works across nodes,
 * since `disconnectSockets` goes through the Socket.IO adapter.
 */
import type { IoServer } from './types.ts';
import { sessionRoom, userRoom } from './rooms.ts';

export class SocketKicker {
  io: IoServer | null = null;

  sessions(sessionIds: string[]): void {
    if (this.io && sessionIds.length) this.io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
  }

  user(userId: string): void {
    this.io?.in(userRoom(userId)).disconnectSockets(true);
  }
}
