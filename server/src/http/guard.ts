/**
 * Every HTTP route is declared through `GuardedRouter.route(method, path, action, ...)`: the guard
 * resolves the caller, the event named in the path, the caller's role there, and asks the policy.
 * Each guard function carries a marker, so a test can walk Express's stack and fail on any route
 * that was added without one.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { Slug, type Role } from '@colloquy/shared';
import { can, type Action } from '../auth/policy.ts';
import type { Principal, Principals } from '../auth/principal.ts';
import type { EventRecord } from '../events/store.ts';
import type { CatalogueStore } from '../events/store.ts';
import { AppError, removedFromEvent } from './errors.ts';

export const GUARD_MARK = Symbol.for('colloquy.guard');

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec {
  method: Method;
  /** Full path as mounted, e.g. /api/events/:slug/livekit-token */
  path: string;
  action: Action;
  /** Which path parameter names the event the role is taken from. */
  eventParam: 'slug' | 'eventId' | null;
}

export interface Guarded {
  principal: Principal | null;
  role: Role;
  event: EventRecord | null;
  /** Banned from the event named in the path (their role there is then visitor). */
  banned: boolean;
}

export interface GuardDeps {
  principals: Principals;
  catalogue: CatalogueStore;
  registry: RouteSpec[];
}

export class GuardedRouter {
  readonly router = Router();
  private readonly deps: GuardDeps;
  private readonly mount: string;

  constructor(deps: GuardDeps, mount: string) {
    this.deps = deps;
    this.mount = mount;
  }

  route(
    method: Method,
    path: string,
    action: Action,
    handler: (req: Request, res: Response, g: Guarded) => Promise<void> | void,
    opts: { eventParam?: 'slug' | 'eventId'; body?: RequestHandler } = {},
  ): this {
    const eventParam = opts.eventParam ?? null;
    this.deps.registry.push({ method, path: this.mount + path, action, eventParam });
    const { principals, catalogue } = this.deps;
    const guard = async (req: Request, res: Response) => {
      const principal = await principals.fromCookieHeader(req.headers.cookie);
      let event: EventRecord | null = null;
      if (eventParam) {
        const raw = req.params[eventParam];
        if (eventParam === 'slug') {
          const slug = Slug.safeParse(raw);
          event = slug.success ? await catalogue.events.getBySlug(slug.data) : null;
        } else {
          event = typeof raw === 'string' && raw.length <= 64 ? await catalogue.events.get(raw) : null;
        }
        if (!event) throw new AppError('not_found', 'No event with that address');
      }
      const { role, banned } = await principals.roleFor(principal, event?.id ?? null);
      if (!can(role, action)) {
        if (banned) throw removedFromEvent();
        if (!principal) throw new AppError('unauthorized', 'Sign in or join the event first');
        throw new AppError('forbidden', 'You are not allowed to do that');
      }
      // A body that needs its own parser (an upload) is read only once the caller is allowed.
      if (opts.body) {
        const parse = opts.body;
        await new Promise<void>((resolve, reject) =>
          parse(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
        );
      }
      await handler(req, res, { principal, role, event, banned });
    };
    Object.defineProperty(guard, GUARD_MARK, { value: action });
    this.router[method](path, guard);
    return this;
  }
}
