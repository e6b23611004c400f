import type { RequestHandler } from 'express';
import { parseCookie } from 'cookie';
import { SESSION_COOKIE, type Principals } from './principal.ts';

/** Resolves the caller from the session cookie onto `req.principal` (null when anonymous). */
export function sessionMiddleware(principals: Principals): RequestHandler {
  return (req, _res, next) => {
    const token = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    principals
      .fromToken(token)
      .then((p) => {
        (req as typeof req & { principal: unknown }).principal = p;
        next();
      })
      .catch(next);
  };
}
