import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody, ErrorCode, ValidationIssue } from '@colloquy/shared';
import type { z } from 'zod';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invite_invalid: 404,
  invite_expired: 410,
  invite_revoked: 410,
  unknown_event: 400,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  conflict: 409,
  content_blocked: 422,
  unavailable: 503,
  internal: 500,
};

/** An error meant for the caller: its code and message are safe to send. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[] | undefined;
  constructor(code: ErrorCode, message: string, issues?: ValidationIssue[]) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
  get status(): number {
    return STATUS[this.code];
  }
  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** The one refusal a banned person gets, from every door into the event. */
export const removedFromEvent = () => new AppError('forbidden', 'You have been removed from this event');

export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
}

/** Parses `input` with `schema` or throws a validation_failed AppError listing the issues. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('validation_failed', `Invalid ${what}`, issuesOf(result.error));
  return result.data;
}

export const notFoundApi: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No API route for ${req.method} ${req.path}` } });
};

/** Turns any error into the typed JSON body; never leaks an exception's text for unexpected errors. */
export function errorHandler(log: { error: (o: object, m: string) => void }): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError) {
      const retry = (err as { retryAfterMs?: number }).retryAfterMs;
      if (typeof retry === 'number') res.set('Retry-After', String(Math.max(1, Math.ceil(retry / 1000))));
      res.status(err.status).json({ error: err.toBody() });
      return;
    }
    // body-parser errors carry a `type` and a status.
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The request body is too large' } });
      return;
    }
    if (e.type === 'entity.parse.failed' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      res.status(400).json({ error: { code: 'bad_request', message: 'The request body is not valid JSON' } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: 'Bad request' } });
      return;
    }
    log.error({ err, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  };
}
