import type { RequestHandler } from 'express';
import { AppError } from './errors.ts';

/**
 * An Origin is accepted when it is the configured public origin or the same origin the request
 * was sent to. Requests without an Origin come from non-browser clients, which carry no victim's
 * cookies.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return true;
  if (!URL.canParse(origin)) return false;
  const o = new URL(origin);
  if (o.origin === new URL(publicUrl).origin) return true;
  return !!host && o.host === host && (o.protocol === 'http:' || o.protocol === 'https:');
}

/** Refuses state-changing requests sent from another site (a cross-origin form post, a fetch). */
export function sameOriginWrites(publicUrl: string): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const crossSite = req.get('sec-fetch-site') === 'cross-site';
    if (crossSite || !originAllowed(req.get('origin'), req.get('host'), publicUrl)) {
      return next(new AppError('forbidden', 'Cross-site requests are refused'));
    }
    next();
  };
}
