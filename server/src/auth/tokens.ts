/**
 * Link tokens (`id.secret.signature`): the signature (HMAC-SHA256 with the server's key) rejects a
 * tampered token before any lookup; Redis keeps only the SHA-256 of the secret part.
 */
import crypto from 'node:crypto';

const b64 = (buf: Buffer) => buf.toString('base64url');
const sign = (key: string, body: string) => b64(crypto.createHmac('sha256', key).update(body).digest());

export const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export function makeLinkToken(key: string, id: string): { token: string; secretHash: string } {
  const secret = b64(crypto.randomBytes(24));
  const body = `${id}.${secret}`;
  return { token: `${body}.${sign(key, body)}`, secretHash: sha256(secret) };
}

/** The id and secret hash when the signature holds; null for anything malformed or tampered. */
export function readLinkToken(key: string, token: string): { id: string; secretHash: string } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [id, secret, signature] = parts as [string, string, string];
  if (!sameSecret(signature, sign(key, `${id}.${secret}`))) return null;
  return { id, secretHash: sha256(secret) };
}

/** Constant-time equality of two secrets (hashes, signatures, proofs). */
export function sameSecret(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
