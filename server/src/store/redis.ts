import { createClient } from 'redis';

function makeClient(url: string) {
  return createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000), connectTimeout: 5000 },
  });
}

export type Redis = ReturnType<typeof makeClient>;

/** Connects a node-redis client; reconnects with capped back-off while the server is away. */
export async function connectRedis(url: string): Promise<Redis> {
  const client = makeClient(url);
  // node-redis emits 'error' on every failed reconnect; the health check reports the state instead.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Key prefix, so Colloquy can share a Redis with other apps. */
export const PREFIX = 'cq:';
