/** Audience entry (open, registration, passcode), the caller's role, and organizers' registration lists. */
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { AccessSettingsInput, InviteToken, JoinInput, type JoinResult, type MyRole } from '@colloquy/shared';
import { AppError, parseOrThrow, removedFromEvent } from '../http/errors.ts';
import type { Guarded, GuardedRouter } from '../http/guard.ts';
import type { AudienceStore } from './audience.ts';
import { ensureGuest } from './guest.ts';
import type { Principal } from './principal.ts';
import type { Auth } from './services.ts';

/** Spreadsheet apps run cells that start with these as formulas: neutralize them. */
const cell = (v: string | null) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));

/** Seats the caller in the event's audience (a guest session if they have none); never a banned person. */
async function admit(auth: Auth, res: Response, g: Guarded, displayName: string): Promise<Principal> {
  if (g.banned) throw removedFromEvent();
  const me = await ensureGuest(auth, res, g.principal, displayName);
  if (me.kind !== 'organizer') await auth.roles.grant(g.event!.id, me.userId, 'audience');
  return me;
}

export function audienceRoutes(r: GuardedRouter, d: { auth: Auth; audience: AudienceStore; publicUrl: string }): void {
  const { auth, audience } = d;
  const ev = { eventParam: 'slug' } as const;
  const byId = { eventParam: 'eventId' } as const;
  const calendarUrl = (slug: string) => `${d.publicUrl}/events/${slug}/calendar.ics`;

  r.route(
    'get',
    '/events/:slug/access',
    'catalogue:read',
    async (_req, res, { event }) => {
      res.json(await audience.settings(event!.id));
    },
    ev,
  );

  r.route(
    'get',
    '/events/:slug/role',
    'event:role',
    async (_req, res, { role, principal }) => {
      const body: MyRole = { role, displayName: principal?.displayName ?? null };
      res.json(body);
    },
    ev,
  );

  r.route(
    'post',
    '/events/:slug/join',
    'event:join',
    async (req, res, g) => {
      const event = g.event!;
      await auth.limits.registration(auth.ip(req));
      const input = parseOrThrow(JoinInput, req.body, 'join request');
      const settings = await audience.settings(event.id);
      if (input.mode !== settings.mode) {
        throw new AppError(
          'validation_failed',
          `This event is ${settings.mode === 'open' ? 'open to everyone' : `joined by ${settings.mode}`}`,
          [{ path: ['mode'], message: `expected ${settings.mode}` }],
        );
      }
      if (input.mode === 'passcode' && !(await audience.passcodeMatches(event.id, input.passcode))) {
        throw new AppError('validation_failed', 'That passcode is not right', [
          { path: ['passcode'], message: 'That passcode is not right' },
        ]);
      }
      const me = await admit(auth, res, g, input.displayName);
      const result: JoinResult = { role: 'audience', calendarUrl: calendarUrl(event.slug) };
      if (input.mode === 'registration') {
        const { token } = await audience.register(event.id, {
          userId: me.userId,
          displayName: input.displayName,
          email: input.email,
          organization: input.organization,
          country: input.country,
        });
        result.personalJoinUrl = `${d.publicUrl}/events/${event.slug}/join?t=${token}`;
      }
      res.status(201).json(result);
    },
    ev,
  );

  r.route(
    'post',
    '/events/:slug/join/personal',
    'event:join',
    async (req, res, g) => {
      const event = g.event!;
      await auth.limits.registration(auth.ip(req));
      const { token } = parseOrThrow(z.object({ token: InviteToken }).strict(), req.body, 'join link');
      const found = await audience.readJoinToken(event.id, token);
      if (!found) throw new AppError('invite_invalid', 'This join link is not valid for this event');
      await admit(auth, res, g, found.displayName);
      res.json({
        role: 'audience',
        calendarUrl: calendarUrl(event.slug),
      } satisfies JoinResult);
    },
    ev,
  );

  r.route(
    'put',
    '/admin/events/:eventId/access',
    'access:manage',
    async (req, res, { event }) => {
      const input = parseOrThrow(AccessSettingsInput, req.body, 'access settings');
      if (input.mode === 'passcode' && !input.passcode && !(await audience.settings(event!.id)).hasPasscode) {
        throw new AppError('validation_failed', 'A passcode is required', [
          { path: ['passcode'], message: 'required' },
        ]);
      }
      res.json(await audience.setSettings(event!.id, input.mode, input.passcode));
    },
    byId,
  );

  r.route(
    'get',
    '/admin/events/:eventId/registrations',
    'registration:read',
    async (_req, res, { event }) => {
      res.json({ items: await audience.list(event!.id) });
    },
    byId,
  );

  r.route(
    'get',
    '/admin/events/:eventId/registrations.csv',
    'registration:read',
    async (_req, res, { event }) => {
      const rows = (await audience.list(event!.id)).map((x) => [
        cell(x.displayName),
        cell(x.email),
        cell(x.organization),
        cell(x.country),
        x.registeredAt,
        x.consentAt,
      ]);
      const csv = stringify(rows, {
        header: true,
        columns: ['name', 'email', 'organization', 'country', 'registered_at', 'consent_at'],
      });
      res.type('text/csv; charset=utf-8').attachment(`${event!.slug}-registrations.csv`).send(csv);
    },
    byId,
  );
}
