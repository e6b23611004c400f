import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Invite and join links carry secrets in their path or query: never log them. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/invite\/[^/?#]+/g, '/invite/[redacted]')
    .replace(/\/api\/invites\/(?!redeem\b)[^/?#]+/g, '/api/invites/[redacted]')
    .replace(/([?&](?:t|token)=)[^&#]*/g, '$1[redacted]');
}

/** JSON logs; cookies, authorization headers, link tokens and internal proofs are redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-colloquy-internal"]',
        'res.headers["set-cookie"]',
        '*.token',
        '*.password',
        '*.apiSecret',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
