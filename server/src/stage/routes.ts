/** Stage: LiveKit tokens for the caller's role, and removing a person from an event. */
import { BanInput, type LivekitTokenResponse } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { Auth } from '../auth/services.ts';
import { mintToken } from './tokens.ts';

export interface StageDeps {
  auth: Auth;
  livekit: { apiKey: string; apiSecret: string; publicUrl: string };
  endAccess(eventId: string, userId: string): Promise<void>;
}

export function stageRoutes(r: GuardedRouter, d: StageDeps): void {
  r.route(
    'post',
    '/events/:slug/livekit-token',
    'livekit:token',
    async (_req, res, { event, role, principal }) => {
      if (role === 'visitor') throw new AppError('forbidden', 'Join the event first');
      if (role === 'audience' && event!.status !== 'live') {
        throw new AppError('forbidden', 'The stage opens to the audience when the event goes live');
      }
      await d.auth.limits.tokenMint(principal!.userId);
      const minted = await mintToken({
        apiKey: d.livekit.apiKey,
        apiSecret: d.livekit.apiSecret,
        role,
        eventId: event!.id,
        identity: principal!.userId,
        name: principal!.displayName,
      });
      const body: LivekitTokenResponse = { ...minted, url: d.livekit.publicUrl, identity: principal!.userId };
      res.json(body);
    },
    { eventParam: 'slug' },
  );

  r.route(
    'post',
    '/events/:slug/bans',
    'participant:ban',
    async (req, res, { event, principal }) => {
      const { userId } = parseOrThrow(BanInput, req.body, 'ban');
      if (userId === principal!.userId) throw new AppError('bad_request', 'You cannot remove yourself');
      if (await d.auth.organizers.get(userId))
        throw new AppError('forbidden', 'An organizer cannot be removed from an event');
      if ((await d.auth.roles.get(event!.id, userId)) === 'moderator' && principal!.kind !== 'organizer') {
        throw new AppError('forbidden', 'Only an organizer can remove a moderator');
      }
      await d.auth.roles.ban(event!.id, userId);
      await d.endAccess(event!.id, userId);
      res.status(204).end();
    },
    { eventParam: 'slug' },
  );
}
