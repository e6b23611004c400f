/**
 * A tiny page server for browser tests that drive livekit-client directly (not through the app's
 * pages): it serves one HTML page at `/` and livekit-client's UMD build at `/livekit-client.umd.js`,
 * on 127.0.0.1.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const LIVEKIT_UMD = path.resolve(import.meta.dirname, '../../node_modules/livekit-client/dist/livekit-client.umd.js');

/** A page that loads livekit-client and runs `script` (which sets up whatever the test calls). */
export function livekitPage(title: string, script: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="/livekit-client.umd.js"></script>
<script>${script}</script>
</head><body><p>${title}</p></body></html>`;
}

export function serveLivekitPage(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const umd = fs.readFileSync(LIVEKIT_UMD);
  const server = http.createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else if (req.url === '/livekit-client.umd.js')
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(umd);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
