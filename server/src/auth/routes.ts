/** `/api/auth/*`: organizer login, logout, logout everywhere, password change, and who am I. */
import { LoginInput, PasswordChangeInput, type Me } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import { clearSessionCookie, setSessionCookie } from './cookies.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import type { Auth } from './services.ts';

/**
 * @param leaveAllRooms removes a user from every LiveKit room (logging out ends their presence).
 */
export function authRoutes(r: GuardedRouter, auth: Auth, leaveAllRooms: (userId: string) => Promise<void>): void {
  r.route('post', '/auth/login', 'auth:login', async (req, res, { principal }) => {
    const input = parseOrThrow(LoginInput, req.body, 'login');
    await auth.limits.loginIp(auth.ip(req));
    await auth.limits.loginAccountCheck(input.email);
    const user = await auth.organizers.getByEmail(input.email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
    if (!user || !ok) {
      await auth.limits.loginAccountFailed(input.email);
      throw new AppError('unauthorized', 'Wrong email or password');
    }
    // A new session on login: never keep a session id chosen before authentication.
    if (principal) await auth.sessions.revoke(principal.session);
    const { token } = await auth.sessions.create({ userId: user.id, kind: 'organizer', displayName: user.name });
    setSessionCookie(res, token, auth.secureCookies);
    const me: Me = { user: { id: user.id, kind: 'organizer', displayName: user.name, email: user.email } };
    res.json(me);
  });

  r.route('post', '/auth/logout', 'auth:logout', async (_req, res, { principal }) => {
    if (principal) {
      await auth.sessions.revoke(principal.session);
      auth.kicker.sessions([principal.session.id]);
      await leaveAllRooms(principal.userId);
    }
    clearSessionCookie(res, auth.secureCookies);
    res.status(204).end();
  });

  r.route('post', '/auth/logout-all', 'auth:logout-all', async (_req, res, { principal }) => {
    const ids = await auth.sessions.revokeAll(principal!.userId);
    auth.kicker.sessions(ids);
    await leaveAllRooms(principal!.userId);
    clearSessionCookie(res, auth.secureCookies);
    res.status(204).end();
  });

  r.route('post', '/auth/password', 'auth:password', async (req, res, { principal }) => {
    const input = parseOrThrow(PasswordChangeInput, req.body, 'password change');
    await auth.limits.loginIp(auth.ip(req));
    const user = await auth.organizers.get(principal!.userId);
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new AppError('unauthorized', 'The current password is wrong');
    }
    await auth.organizers.setPassword(user.id, input.newPassword);
    // Every other session ends; this browser gets a fresh one.
    auth.kicker.sessions(await auth.sessions.revokeAll(user.id));
    const { token } = await auth.sessions.create({ userId: user.id, kind: 'organizer', displayName: user.name });
    setSessionCookie(res, token, auth.secureCookies);
    res.status(204).end();
  });

  r.route('get', '/auth/me', 'auth:me', async (_req, res, { principal }) => {
    let email: string | null = null;
    if (principal?.kind === 'organizer') email = (await auth.organizers.get(principal.userId))?.email ?? null;
    const me: Me = {
      user: principal
        ? { id: principal.userId, kind: principal.kind, displayName: principal.displayName, email }
        : null,
    };
    res.json(me);
  });
}
