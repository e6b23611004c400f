/**
 * Wraps each client event: finds the ack, rate-limits the person, parses the payload with the
 * event's schema from shared/, resolves the event it names and the caller's role there, asks the
 * policy, runs the handler, and turns any failure into a typed error ack. A client's input can
 * never throw past this point or disconnect the socket.
 */
import { CLIENT_EVENT_SCHEMAS, Slug, type AckResult, type ClientEventName, type Role } from '@colloquy/shared';
import { z } from 'zod';
import { AppError, issuesOf, removedFromEvent } from '../http/errors.ts';
import { can, type Action } from '../auth/policy.ts';
import type { Principal, Principals } from '../auth/principal.ts';
import type { RateLimits } from '../auth/ratelimit.ts';
import type { CatalogueStore, EventRecord } from '../events/store.ts';
import type { Logger } from '../log/logger.ts';
import type { IoSocket } from './types.ts';

type Payload<E extends ClientEventName> = z.infer<(typeof CLIENT_EVENT_SCHEMAS)[E]>;

export interface SocketGuarded {
  principal: Principal | null;
  role: Role;
  event: EventRecord | null;
}

export interface HandlerSpec<E extends ClientEventName> {
  action: Action;
  /**
   * The slug of the event the payload is about, when the role depends on an event. It is read
   * before the rest of the payload is validated, so callers without the role learn nothing more.
   */
  eventSlug?: (payload: { slug: string }) => string;
  run(socket: IoSocket, payload: Payload<E>, g: SocketGuarded): Promise<{ data: unknown; version?: number }>;
}
export type HandlerTable = { [E in ClientEventName]: HandlerSpec<E> };

export interface HandlerDeps {
  log: Logger;
  principals: Principals;
  catalogue: CatalogueStore;
  limits: RateLimits;
}

/** Just enough of an event-scoped payload to find the event before authorizing. */
const EventScoped = z.looseObject({ slug: Slug });

const failure = (error: AppError): AckResult<never> => ({ ok: false, error: error.toBody() });

async function dispatch(socket: IoSocket, name: ClientEventName, raw: unknown, table: HandlerTable, d: HandlerDeps) {
  const principal = socket.data.principal;
  // Per person when we know them; per socket otherwise (a classroom shares one address).
  await d.limits.socketEvent(principal?.userId ?? `socket:${socket.id}`);
  const spec = table[name] as HandlerSpec<ClientEventName>;
  let event: EventRecord | null = null;
  if (spec.eventSlug) {
    const scoped = EventScoped.safeParse(raw);
    if (!scoped.success) throw new AppError('validation_failed', `Invalid payload for ${name}`, issuesOf(scoped.error));
    event = await d.catalogue.events.getBySlug(spec.eventSlug(scoped.data));
    if (!event) throw new AppError('not_found', 'No event with that address');
  }
  const { role, banned } = await d.principals.roleFor(principal, event?.id ?? null);
  if (banned) throw removedFromEvent();
  if (!can(role, spec.action)) {
    throw new AppError(principal ? 'forbidden' : 'unauthorized', 'You are not allowed to do that');
  }
  const parsed = CLIENT_EVENT_SCHEMAS[name].safeParse(raw);
  if (!parsed.success) throw new AppError('validation_failed', `Invalid payload for ${name}`, issuesOf(parsed.error));
  return spec.run(socket, parsed.data as Payload<ClientEventName>, { principal, role, event });
}

export function registerHandlers(socket: IoSocket, table: HandlerTable, d: HandlerDeps): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (r: AckResult<unknown>) => void) : null;
    if (!Object.hasOwn(CLIENT_EVENT_SCHEMAS, event)) {
      ack?.(failure(new AppError('unknown_event', `Unknown event "${String(event).slice(0, 60)}"`)));
      return;
    }
    if (!ack) return; // every client event is emitted with an acknowledgement; without one we ignore it
    dispatch(socket, event as ClientEventName, args.length > 1 ? args[0] : undefined, table, d)
      .then(({ data, version }) => ack(version === undefined ? { ok: true, data } : { ok: true, data, version }))
      .catch((err: unknown) => {
        if (err instanceof AppError) return ack(failure(err));
        d.log.error({ err, event }, 'socket handler failed');
        ack(failure(new AppError('internal', 'Something went wrong on our side')));
      });
  });
}
