import type { SocketIdentity } from '@colloquy/shared';
import type { HandlerSpec } from '../realtime/handlers.ts';

/** `session:whoami`: who the server believes this socket is, after its latest (re)connection. */
export function authSocketHandlers(): { 'session:whoami': HandlerSpec<'session:whoami'> } {
  return {
    'session:whoami': {
      action: 'session:whoami',
      async run(_socket, _payload, { principal }) {
        const data: SocketIdentity = {
          userId: principal?.userId ?? null,
          displayName: principal?.displayName ?? null,
          kind: principal?.kind ?? null,
        };
        return { data };
      },
    },
  };
}
