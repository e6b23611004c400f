import type { Response } from 'express';
import { SESSION_COOKIE } from '@colloquy/shared';
import { SESSION_TTL_SECONDS } from './sessions.ts';

/** httpOnly, SameSite=Lax, Secure when the public URL is https. */
export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_SECONDS * 1000,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
