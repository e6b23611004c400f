/**
 * Who is on the other end of a request. Server-side renders call the API over loopback; they
 * pass the visitor's address in a header together with a per-process secret, and only then is
 * the header believed.
 */
import crypto from 'node:crypto';
import type { Request } from 'express';
import { sameSecret } from '../auth/tokens.ts';

export const INTERNAL_HEADER = 'x-colloquy-internal';
export const CLIENT_IP_HEADER = 'x-colloquy-client-ip';

export function internalSecret(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function clientIp(req: Request, secret: string): string {
  const claimed = req.get(CLIENT_IP_HEADER);
  const proof = req.get(INTERNAL_HEADER);
  if (claimed && proof && sameSecret(proof, secret)) {
    return claimed.slice(0, 64);
  }
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Fields Express adds to the Node request for SvelteKit's hooks (properties, not headers: clients cannot set them). */
export interface ColloquyRequestContext {
  /** Loopback origin of this server, for server-side loads of /api. */
  apiOrigin: string;
  /** Proves to the API that a loopback call comes from our own renderer. */
  internalSecret: string;
  /** The visitor's address, forwarded with the proof for rate limits. */
  clientIp: string;
}
