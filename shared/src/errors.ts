import { z } from 'zod';

/** Stable, machine-readable error codes. Clients branch on these, never on messages. */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'invite_invalid',
  'invite_expired',
  'invite_revoked',
  'unknown_event',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'conflict',
  /** Text refused by the organizers' word filter (nothing was stored). */
  'content_blocked',
  'unavailable',
  'internal',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One validation problem, with the path of the offending field. */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/** The body of every error: REST answers `{ error }`, socket acks `{ ok: false, error }`. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  issues?: ValidationIssue[];
  /** With `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
}

export interface ApiErrorResponse {
  error: ApiErrorBody;
}
