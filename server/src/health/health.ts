import { RoomServiceClient } from 'livekit-server-sdk';
import type { Redis } from '../store/redis.ts';
import type { LivekitCredentials } from '../services/livekit-server.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  redis: 'ok' | 'down';
  livekit: 'ok' | 'down';
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** Asks Redis for PING and LiveKit for its room list, each with a short deadline. */
export function healthChecker(redis: Redis, livekit: LivekitCredentials) {
  const rooms = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  return async (): Promise<HealthReport> => {
    const [r, l] = await Promise.allSettled([
      withTimeout(redis.isReady ? redis.ping() : Promise.reject(new Error('not ready')), 1000),
      withTimeout(rooms.listRooms(), 2000),
    ]);
    const report: HealthReport = {
      status: 'ok',
      redis: r.status === 'fulfilled' ? 'ok' : 'down',
      livekit: l.status === 'fulfilled' ? 'ok' : 'down',
    };
    if (report.redis === 'down' || report.livekit === 'down') report.status = 'degraded';
    return report;
  };
}
