import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

/** Connects a node-redis client; reconnects with capped back-off while the server is away. */
export async function connectRedis(url: string): Promise<Redis> {
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000), connectTimeout: 5000 },
  });
  // node-redis emits 'error' on every failed reconnect; the health check reports the state instead.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Key prefix, so Colloquy can share a Redis with other apps. */
export const PREFIX = 'cq:';
