import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs; cookies, authorization headers and tokens are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.token',
        '*.password',
        '*.apiSecret',
      ],
      censor: '[redacted]',
    },
  });
}
