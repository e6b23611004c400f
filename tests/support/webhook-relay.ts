/**
 * The run's livekit-server is configured with one webhook URL, but each test file runs its own
 * app on its own port. This relay (started by the global setup) receives LiveKit's webhooks and
 * forwards each, unchanged, to every app registered with it — as a load balancer in front of
 * several nodes would. Apps check the signature themselves and ignore rooms they do not know.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startWebhookRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const targets = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/register' || req.url === '/unregister') {
        const target = body.toString();
        if (req.url === '/register') targets.add(target);
        else targets.delete(target);
        res.writeHead(204).end();
        return;
      }
      for (const target of targets) {
        fetch(`${target}/webhooks/livekit`, {
          method: 'POST',
          headers: {
            'content-type': req.headers['content-type'] ?? 'application/webhook+json',
            authorization: req.headers.authorization ?? '',
          },
          body: new Uint8Array(body),
          signal: AbortSignal.timeout(5000),
        }).catch(() => {});
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
