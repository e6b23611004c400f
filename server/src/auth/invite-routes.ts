/** Invite links: organizers create, list and revoke them; invitees preview and redeem them. */
import {
  InviteCreateInput,
  InviteRedeemInput,
  InviteToken,
  type CreatedInvite,
  type InvitePreview,
} from '@colloquy/shared';
import { AppError, parseOrThrow } from '../http/errors.ts';
import type { GuardedRouter } from '../http/guard.ts';
import type { CatalogueStore } from '../events/store.ts';
import { ensureGuest, refuseBanned } from './guest.ts';
import type { InviteStore } from './invites.ts';
import type { Auth } from './services.ts';

export interface InviteDeps {
  auth: Auth;
  invites: InviteStore;
  catalogue: CatalogueStore;
  publicUrl: string;
  /** Ends someone's presence on an event: sockets cut, removed from the LiveKit room. */
  endAccess(eventId: string, userId: string): Promise<void>;
}

export function inviteRoutes(r: GuardedRouter, d: InviteDeps): void {
  r.route(
    'post',
    '/admin/events/:eventId/invites',
    'invite:manage',
    async (req, res, { event, principal }) => {
      const input = parseOrThrow(InviteCreateInput, req.body, 'invite');
      if (input.speakerId && !(await d.catalogue.speakers.get(input.speakerId))) {
        throw new AppError('validation_failed', 'Unknown speaker', [
          { path: ['speakerId'], message: 'no such speaker' },
        ]);
      }
      const { invite, token } = await d.invites.create(event!.id, input, principal!.userId);
      const created: CreatedInvite = { ...invite, url: `${d.publicUrl}/invite/${token}` };
      res.status(201).json(created);
    },
    { eventParam: 'eventId' },
  );

  r.route(
    'get',
    '/admin/events/:eventId/invites',
    'invite:manage',
    async (_req, res, { event }) => {
      res.json({ items: await d.invites.listForEvent(event!.id) });
    },
    { eventParam: 'eventId' },
  );

  r.route(
    'post',
    '/admin/events/:eventId/invites/:inviteId/revoke',
    'invite:manage',
    async (req, res, { event }) => {
      const invite = await d.invites.revoke(event!.id, String(req.params.inviteId).slice(0, 64));
      for (const use of invite.uses) {
        if (await d.auth.roles.revoke(event!.id, use.userId, invite.role)) await d.endAccess(event!.id, use.userId);
      }
      res.json(invite);
    },
    { eventParam: 'eventId' },
  );

  r.route('get', '/invites/:token', 'invite:preview', async (req, res) => {
    const token = InviteToken.safeParse(req.params.token);
    if (!token.success)
      throw new AppError('invite_invalid', 'This invite link is not valid. Ask the organizer for a new one.');
    const invite = await d.invites.check(token.data);
    const event = await d.catalogue.events.get(invite.eventId);
    if (!event) throw new AppError('invite_invalid', 'The event of this invite no longer exists.');
    const speaker = invite.speakerId ? await d.catalogue.speakers.get(invite.speakerId) : null;
    const preview: InvitePreview = {
      eventSlug: event.slug,
      eventTitle: event.title,
      role: invite.role,
      suggestedName: speaker?.name ?? invite.label,
    };
    res.json(preview);
  });

  r.route('post', '/invites/redeem', 'invite:redeem', async (req, res, { principal }) => {
    await d.auth.limits.inviteRedeem(d.auth.ip(req));
    const input = parseOrThrow(InviteRedeemInput, req.body, 'invite');
    const invite = await d.invites.check(input.token);
    const event = await d.catalogue.events.get(invite.eventId);
    if (!event) throw new AppError('invite_invalid', 'The event of this invite no longer exists.');
    await refuseBanned(d.auth, event.id, principal);
    const me = await ensureGuest(d.auth, res, principal, input.displayName);
    const role = me.kind === 'organizer' ? 'organizer' : await d.auth.roles.grant(event.id, me.userId, invite.role);
    await d.invites.recordUse(invite.id, {
      userId: me.userId,
      displayName: me.displayName,
      at: new Date().toISOString(),
    });
    res.json({ eventSlug: event.slug, role });
  });
}
