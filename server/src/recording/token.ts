/**
 * The recorder's credential: `<recordingId>.<HMAC-SHA256(secret, "recorder:<eventId>:<recordingId>")>`.
 * It is not a session: it lets its holder open recorder sessions and upload chunks for one
 * recording, and nothing else.
 */
import crypto from 'node:crypto';

const ID = /^[0-9a-f-]{36}$/;

function mac(secret: string, eventId: string, recordingId: string): string {
  return crypto.createHmac('sha256', secret).update(`recorder:${eventId}:${recordingId}`).digest('base64url');
}

export function recorderToken(secret: string, eventId: string, recordingId: string): string {
  return `${recordingId}.${mac(secret, eventId, recordingId)}`;
}

/** The recording id the token names (not yet verified), or null when it is not shaped like one. */
export function recordingIdOf(token: string | undefined): string | null {
  if (!token || token.length > 200) return null;
  const [id, sig, ...rest] = token.split('.');
  return id && sig && rest.length === 0 && ID.test(id) ? id : null;
}

/** Constant-time check of the token against the recording it names and that recording's event. */
export function verifyRecorderToken(secret: string, token: string, eventId: string, recordingId: string): boolean {
  const expected = Buffer.from(recorderToken(secret, eventId, recordingId));
  const given = Buffer.from(token);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** The bearer token from an Authorization header. */
export function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer ([A-Za-z0-9._-]{1,200})$/);
  return m?.[1];
}
