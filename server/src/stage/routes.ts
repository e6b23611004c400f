/** Stage: LiveKit tokens for the caller's role and stage situation, and removing a person from an event. */
import { BanInput, type LivekitTokenResponse, type StagePhase } from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { Auth } from '../auth/services.ts';
import type { EventRecord } from '../events/store.ts';
import { mintToken } from './tokens.ts';

export interface StageDeps {
  auth: Auth;
  endAccess(eventId: string, userId: string): Promise<void>;
}

export interface TokenDeps {
  auth: Auth;
  livekit: { apiKey: string; apiSecret: string; publicUrl: string };
  /** Where the event is, and whether this person was brought on stage from the audience. */
  stageOf(event: EventRecord, userId: string): Promise<{ phase: StagePhase; onStage: boolean }>;
}

/**
 * Speakers and staff may join from the green room on (and before, for a device check); the
 * audience only while live; nobody once the event has ended. An audience member invited on stage
 * gets camera and microphone.
 */
export function livekitTokenRoute(r: GuardedRouter, d: TokenDeps): void {
  r.route(
    'post',
    '/events/:slug/livekit-token',
    'livekit:token',
    async (_req, res, { event, role, principal }) => {
      if (role === 'visitor') throw new AppError('forbidden', 'Join the event first');
      const { phase, onStage } = await d.stageOf(event!, principal!.userId);
      if (phase === 'ended') throw new AppError('forbidden', 'The event has ended');
      if (role === 'audience' && phase !== 'live') {
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
        onStage: role === 'audience' && onStage,
      });
      const body: LivekitTokenResponse = { ...minted, url: d.livekit.publicUrl, identity: principal!.userId };
      res.json(body);
    },
    { eventParam: 'slug' },
  );
}

export function stageRoutes(r: GuardedRouter, d: StageDeps): void {
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
