import { z } from 'zod';
import { CountryCode } from './catalogue.ts';
import { LIMITS } from './limits.ts';

/** The httpOnly session cookie the API sets (pages only check that it is there). */
export const SESSION_COOKIE = 'colloquy_session';

/** Who someone is for one event. `visitor` is anyone without a role there. */
export const ROLES = ['visitor', 'audience', 'speaker', 'moderator', 'organizer'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Roles granted per event (organizers hold theirs on every event through their account). */
export const EventRole = z.enum(['audience', 'speaker', 'moderator']);
export type EventRole = z.infer<typeof EventRole>;

/** Roles an invite link can grant. */
export const InviteRole = z.enum(['speaker', 'moderator']);
export type InviteRole = z.infer<typeof InviteRole>;

export const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
export const Password = z.string().min(10, 'use at least 10 characters').max(256);
export const DisplayName = z.string().trim().min(1).max(LIMITS.nameMaxLength);

export const LoginInput = z.object({ email: Email, password: z.string().min(1).max(256) }).strict();
export type LoginInput = z.infer<typeof LoginInput>;

export const PasswordChangeInput = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: Password })
  .strict();
export type PasswordChangeInput = z.infer<typeof PasswordChangeInput>;

/** What `GET /api/auth/me` answers. */
export interface Me {
  user: { id: string; kind: 'organizer' | 'guest'; displayName: string; email: string | null } | null;
}

/** Per-event answer: the caller's role there. */
export interface MyRole {
  role: Role;
  displayName: string | null;
}

export const InviteCreateInput = z
  .object({
    role: InviteRole,
    /** Hours until the link stops working (at most 30 days). */
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    /** Who it is for (shown to organizers), e.g. a speaker's name. */
    label: z.string().trim().max(LIMITS.nameMaxLength).default(''),
    /** Prefills the join page's display name for a speaker from the catalogue. */
    speakerId: z.string().max(64).nullable().default(null),
  })
  .strict();
export type InviteCreateInput = z.infer<typeof InviteCreateInput>;

export interface InviteUse {
  userId: string;
  displayName: string;
  at: string;
}

export interface Invite {
  id: string;
  eventId: string;
  role: InviteRole;
  label: string;
  speakerId: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  uses: InviteUse[];
}

/** Answered once, when an invite is created: the only time the link exists outside the browser. */
export interface CreatedInvite extends Invite {
  url: string;
}

export const InviteToken = z
  .string()
  .min(20)
  .max(300)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

export const InviteRedeemInput = z.object({ token: InviteToken, displayName: DisplayName }).strict();
export type InviteRedeemInput = z.infer<typeof InviteRedeemInput>;

/** What a join page shows before redeeming. */
export interface InvitePreview {
  eventSlug: string;
  eventTitle: string;
  role: InviteRole;
  suggestedName: string;
}

/** How the audience gets in. */
export const AccessMode = z.enum(['open', 'registration', 'passcode']);
export type AccessMode = z.infer<typeof AccessMode>;

export const AccessSettingsInput = z
  .object({
    mode: AccessMode,
    /** Required when switching to passcode mode; kept hashed. */
    passcode: z.string().min(4).max(64).optional(),
  })
  .strict();
export type AccessSettingsInput = z.infer<typeof AccessSettingsInput>;

export interface AccessSettings {
  mode: AccessMode;
  hasPasscode: boolean;
}

export const JoinInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('open'), displayName: DisplayName }).strict(),
  z
    .object({
      mode: z.literal('registration'),
      displayName: DisplayName,
      email: Email,
      organization: z.string().trim().max(LIMITS.nameMaxLength).default(''),
      country: CountryCode.nullable().default(null),
      consent: z.literal(true, { error: 'consent is required to register' }),
    })
    .strict(),
  z.object({ mode: z.literal('passcode'), displayName: DisplayName, passcode: z.string().min(1).max(64) }).strict(),
]);
export type JoinInput = z.infer<typeof JoinInput>;

export interface Registration {
  id: string;
  displayName: string;
  email: string;
  organization: string;
  country: string | null;
  consentAt: string;
  registeredAt: string;
}

export interface JoinResult {
  role: 'audience';
  /** Registration only: a personal link that joins this person from any browser. */
  personalJoinUrl?: string;
  calendarUrl: string;
}

/** What a LiveKit token request answers. */
export interface LivekitTokenResponse {
  token: string;
  url: string;
  room: string;
  identity: string;
  expiresAt: string;
}

export const BanInput = z.object({ userId: z.string().min(1).max(64) }).strict();
