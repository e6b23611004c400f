/**
 * Wraps each client event: finds the ack, parses the payload with the event's schema from
 * shared/, runs the handler, and turns any failure into a typed error ack. A client's input
 * can never throw past this point or disconnect the socket.
 */
import { CLIENT_EVENT_SCHEMAS, type AckResult, type ClientEventName } from '@colloquy/shared';
import type { z } from 'zod';
import { AppError, issuesOf } from '../http/errors.ts';
import type { Logger } from '../log/logger.ts';
import type { IoSocket } from './types.ts';

type Payload<E extends ClientEventName> = z.infer<(typeof CLIENT_EVENT_SCHEMAS)[E]>;
export type Handler<E extends ClientEventName> = (
  socket: IoSocket,
  payload: Payload<E>,
) => Promise<{ data: unknown; version?: number }>;
export type HandlerTable = { [E in ClientEventName]: Handler<E> };

function failure(error: AppError): AckResult<never> {
  return { ok: false, error: error.toBody() };
}

export function registerHandlers(socket: IoSocket, table: HandlerTable, log: Logger): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (r: AckResult<unknown>) => void) : null;
    if (!Object.hasOwn(CLIENT_EVENT_SCHEMAS, event)) {
      ack?.(failure(new AppError('unknown_event', `Unknown event "${String(event).slice(0, 60)}"`)));
      return;
    }
    const name = event as ClientEventName;
    if (!ack) return; // every client event is emitted with an acknowledgement; without one we ignore it
    const parsed = CLIENT_EVENT_SCHEMAS[name].safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      ack(failure(new AppError('validation_failed', `Invalid payload for ${name}`, issuesOf(parsed.error))));
      return;
    }
    const handler = table[name] as Handler<ClientEventName>;
    handler(socket, parsed.data)
      .then(({ data, version }) => ack(version === undefined ? { ok: true, data } : { ok: true, data, version }))
      .catch((err: unknown) => {
        if (err instanceof AppError) return ack(failure(err));
        log.error({ err, event: name }, 'socket handler failed');
        ack(failure(new AppError('internal', 'Something went wrong on our side')));
      });
  });
}
