/**
 * For every HTTP route and socket event the app has, each of visitor, audience, speaker,
 * moderator and organizer gets exactly the expected allow or deny. Routes and events are
 * enumerated from the app itself: a route added without the guard, or with an action this table
 * does not know, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROLES, type AckResult, type Role } from '@colloquy/shared';
import { GUARD_MARK } from '../../server/src/http/guard.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith } from '../support/people.ts';
import { socketFor } from '../support/sockets.ts';

const ALL: Role[] = [...ROLES];
const PARTICIPANTS: Role[] = ['audience', 'speaker', 'moderator', 'organizer'];

/** The expected matrix, written out here independently of the server's policy table. */
const EXPECTED: Record<string, Role[]> = {
  'health:read': ALL,
  'catalogue:read': ALL,
  'auth:login': ALL,
  'auth:me': ALL,
  'auth:logout': ALL,
  'auth:password': ['organizer'],
  'auth:logout-all': ['organizer'],
  'invite:preview': ALL,
  'invite:redeem': ALL,
  'event:role': ALL,
  'event:join': ALL,
  'event:subscribe': ALL,
  'session:whoami': ALL,
  // Signed by LiveKit, not by a session: without a valid signature nobody gets past it.
  'webhook:livekit': [],
  'livekit:token': PARTICIPANTS,
  'live:read': PARTICIPANTS,
  'participant:ban': ['moderator', 'organizer'],
  'stage:lifecycle': ['moderator', 'organizer'],
  'stage:moderate': ['moderator', 'organizer'],
  'stage:hand': ['audience'],
  'attendance:read': ['organizer'],
  'qa:ask': PARTICIPANTS,
  'qa:vote': PARTICIPANTS,
  'qa:moderate': ['moderator', 'organizer'],
  'polls:manage': ['moderator', 'organizer'],
  'polls:vote': PARTICIPANTS,
  'chat:send': PARTICIPANTS,
  'chat:react': PARTICIPANTS,
  'chat:moderate': ['moderator', 'organizer'],
  'moderation:report': PARTICIPANTS,
  'moderation:review': ['moderator', 'organizer'],
  'moderation:words': ['organizer'],
  // The recorder's routes take a per-recording token, never a session: every role without one is refused.
  'recording:record': [],
  'recording:manage': ['organizer'],
  'recording:read': ALL,
  'catalogue:write': ['organizer'],
  'invite:manage': ['organizer'],
  'access:manage': ['organizer'],
  'registration:read': ['organizer'],
  'transcript:read': ALL,
  'transcript:manage': ['organizer'],
  'captions:read': PARTICIPANTS,
  'search:read': ALL,
  'archive:read': ALL,
};

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle: { stack?: Layer[] };
}

/** Every route Express has, found by walking its router stacks (not from our registry). */
function expressRoutes(stack: Layer[]): { methods: string[]; firstHandler: unknown }[] {
  const out: { methods: string[]; firstHandler: unknown }[] = [];
  for (const layer of stack) {
    if (layer.route)
      out.push({ methods: Object.keys(layer.route.methods), firstHandler: layer.route.stack[0]?.handle });
    else if (Array.isArray(layer.handle?.stack)) out.push(...expressRoutes(layer.handle.stack));
  }
  return out;
}

let t: TestApp;
let live: Awaited<ReturnType<typeof makeEvent>>;

beforeAll(async () => {
  t = await startTestApp();
  live = await makeEvent(t, 'matrix-live', 'live');
});
afterAll(() => t.close());

describe('every route is guarded', () => {
  it('has a guard as the first handler of every Express route, and the registry lists them all', () => {
    const routes = expressRoutes((t.app.express as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(routes.length).toBeGreaterThan(20);
    const unguarded = routes.filter((r) => !(r.firstHandler as Record<symbol, unknown>)?.[GUARD_MARK]);
    expect(unguarded).toEqual([]);
    expect(routes.length).toBe(t.app.routes.length);
  });

  it('knows every action used by a route or socket event', () => {
    const actions = [...t.app.routes.map((r) => r.action), ...Object.values(t.app.socketHandlers).map((h) => h.action)];
    expect(actions.filter((a) => !(a in EXPECTED))).toEqual([]);
  });
});

describe('HTTP routes', () => {
  const denied = (status: number) => status === 401 || status === 403;

  it('allows and denies each role exactly as expected', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routes) {
      for (const role of ALL) {
        // A fresh person and (for deletions) a fresh event per call, so no call changes another's outcome.
        const event =
          route.method === 'delete' && route.eventParam
            ? await makeEvent(t, `gone-${Math.random().toString(36).slice(2, 10)}`)
            : live;
        const person = await personWith(t, role, event.id);
        const path = route.path
          .replace(':slug', event.slug)
          .replace(':eventId', event.id)
          .replace(':inviteId', '00000000-0000-7000-8000-000000000000')
          .replace(':id', 'no-such-record')
          .replace(':token', 'not-a-token');
        // Bodies that fail validation: an allowed caller gets past the guard and is refused for the body.
        const res = await api(t, route.method, path, {
          cookie: person.cookie,
          body: route.method === 'get' ? undefined : {},
        });
        const allowed = EXPECTED[route.action]!.includes(role);
        if (denied(res.status) === allowed) {
          mismatches.push(
            `${route.method.toUpperCase()} ${route.path} as ${role}: ${res.status} (${allowed ? 'expected allow' : 'expected deny'})`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('socket events', () => {
  it('allows and denies each role exactly as expected', async () => {
    const mismatches: string[] = [];
    for (const [name, spec] of Object.entries(t.app.socketHandlers)) {
      for (const role of ALL) {
        const person = await personWith(t, role, live.id);
        const s = await socketFor(t.url, person.cookie);
        const payload = spec.eventSlug ? { slug: live.slug } : {};
        const ack = (await (s as unknown as Socket).timeout(3000).emitWithAck(name, payload)) as AckResult<unknown>;
        s.disconnect();
        const deniedAck = !ack.ok && (ack.error.code === 'forbidden' || ack.error.code === 'unauthorized');
        const allowed = EXPECTED[spec.action]!.includes(role);
        if (deniedAck === allowed) mismatches.push(`${name} as ${role}: ${JSON.stringify(ack)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
