/** The Express middleware every response goes through: security headers, request logs, /api's own headers. */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { redactUrl, type Logger } from '../log/logger.ts';

export function securityHeaders(publicUrl: string): RequestHandler {
  return helmet({
    contentSecurityPolicy: false, // pages get SvelteKit's nonce CSP; the API sets its own (apiHeaders)
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: publicUrl.startsWith('https:'),
    // Plain (no-JS) form posts must carry an Origin SvelteKit can check; no-referrer makes it "null".
    referrerPolicy: { policy: 'same-origin' },
  });
}

export function requestLog(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log,
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    serializers: {
      // Only these fields: the query and params could carry a link's token.
      req: (req: { id?: unknown; method?: string; url?: string; headers?: unknown; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
        headers: req.headers,
        remoteAddress: req.remoteAddress,
      }),
    },
  });
}

/** JSON answers only: no document may load anything, and nothing is cached. */
export const apiHeaders: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.set('Cache-Control', 'no-store');
  next();
};
