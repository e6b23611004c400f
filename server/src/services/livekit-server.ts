import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnService, waitUntilReady, type ManagedChild } from './child.ts';

export interface LivekitCredentials {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface LivekitServerHandle extends LivekitCredentials {
  port: number;
  child: ManagedChild;
}

/** Reads the dev key pair kept under the data dir, generating it (mode 0600) on first use. */
export function loadOrCreateLivekitKeys(dataDir: string): { apiKey: string; apiSecret: string } {
  const file = path.join(dataDir, 'livekit-keys.json');
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { apiKey?: unknown; apiSecret?: unknown };
    if (typeof parsed.apiKey === 'string' && typeof parsed.apiSecret === 'string') {
      return { apiKey: parsed.apiKey, apiSecret: parsed.apiSecret };
    }
  } catch {
    // missing or unreadable: make a new pair below
  }
  const keys = {
    apiKey: 'API' + crypto.randomBytes(6).toString('hex'),
    apiSecret: crypto.randomBytes(32).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

export interface LivekitServerOptions {
  port: number;
  rtcTcpPort: number;
  rtcUdpPort: number;
  apiKey: string;
  apiSecret: string;
  /** Where livekit-server posts its webhooks. */
  webhookUrl?: string;
}

/** Builds the YAML config: loopback only, one UDP and one TCP port for media, no external IP lookup. */
export function livekitConfigYaml(o: LivekitServerOptions): string {
  const lines = [
    `port: ${o.port}`,
    `bind_addresses:`,
    `  - 127.0.0.1`,
    `rtc:`,
    `  tcp_port: ${o.rtcTcpPort}`,
    `  udp_port: ${o.rtcUdpPort}`,
    `  use_external_ip: false`,
    `  node_ip: 127.0.0.1`,
    `  enable_loopback_candidate: true`,
    `keys:`,
    `  ${o.apiKey}: ${o.apiSecret}`,
    `logging:`,
    `  level: warn`,
  ];
  if (o.webhookUrl) lines.push(`webhook:`, `  api_key: ${o.apiKey}`, `  urls:`, `    - ${o.webhookUrl}`);
  return lines.join('\n') + '\n';
}

/** Starts livekit-server bound to 127.0.0.1 and waits until its HTTP endpoint answers. */
export async function startLivekitServer(
  opts: LivekitServerOptions & { binary: string; dir: string },
): Promise<LivekitServerHandle> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const configFile = path.join(opts.dir, 'livekit.yaml');
  fs.writeFileSync(configFile, livekitConfigYaml(opts), { mode: 0o600 });
  const logFile = path.join(opts.dir, 'livekit-server.log');
  const child = spawnService('livekit-server', opts.binary, ['--config', configFile], logFile);
  await waitUntilReady(
    child,
    async () => (await fetch(`http://127.0.0.1:${opts.port}/`, { signal: AbortSignal.timeout(1000) })).ok,
    { logFile, timeoutMs: 30_000 },
  );
  return { url: `ws://127.0.0.1:${opts.port}`, port: opts.port, apiKey: opts.apiKey, apiSecret: opts.apiSecret, child };
}
