/** Ending someone's presence: their sockets are cut and they leave the LiveKit room(s). */
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import type { SocketKicker } from '../realtime/kick.ts';
import type { Logger } from '../log/logger.ts';
import { eventIdOfRoom, roomName } from './tokens.ts';

export interface AccessEnder {
  /** One event: after a ban or a revoked invite. */
  endAccess(eventId: string, userId: string): Promise<void>;
  /** Every event's room: after logging out (the user's sockets are cut by session elsewhere). */
  leaveAllRooms(userId: string): Promise<void>;
}

export function createAccessEnder(livekit: LivekitCredentials, kicker: SocketKicker, log: Logger): AccessEnder {
  const rooms = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  const remove = async (room: string, userId: string) => {
    try {
      await rooms.removeParticipant(room, userId);
    } catch (err) {
      // Not in the room (or no room yet) is the common case; anything else is logged.
      const message = String((err as Error).message ?? err);
      if (!/not found|does not exist|404/i.test(message))
        log.warn({ err, room }, 'could not remove participant from LiveKit');
    }
  };
  return {
    async endAccess(eventId, userId) {
      kicker.user(userId);
      await remove(roomName(eventId), userId);
    },
    async leaveAllRooms(userId) {
      try {
        const active = await rooms.listRooms();
        await Promise.all(active.filter((r) => eventIdOfRoom(r.name)).map((r) => remove(r.name, userId)));
      } catch (err) {
        log.warn({ err }, 'could not list LiveKit rooms to remove a user who logged out');
      }
    },
  };
}
