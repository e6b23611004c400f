/** Ending someone's presence on an event: their sockets are cut and they leave the LiveKit room. */
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LivekitCredentials } from '../services/livekit-server.ts';
import type { SocketKicker } from '../realtime/kick.ts';
import type { Logger } from '../log/logger.ts';
import { roomName } from './tokens.ts';

export function createAccessEnder(livekit: LivekitCredentials, kicker: SocketKicker, log: Logger) {
  const rooms = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  return async function endAccess(eventId: string, userId: string): Promise<void> {
    kicker.user(userId);
    try {
      await rooms.removeParticipant(roomName(eventId), userId);
    } catch (err) {
      // Not in the room (or no room yet) is the common case; anything else is logged.
      const message = String((err as Error).message ?? err);
      if (!/not found|does not exist|404/i.test(message))
        log.warn({ err, eventId }, 'could not remove participant from LiveKit');
    }
  };
}
