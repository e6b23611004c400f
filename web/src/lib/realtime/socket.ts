/**
 * The browser's one Socket.IO connection (same origin as the page, cookie-authenticated), and
 * `send`: every state-changing emit carries a fresh operation id and is retried with the same id
 * when no acknowledgement comes back, so a lost ack never loses or doubles a write.
 */
import { io, type Socket } from 'socket.io-client';
import type { AckResult, ApiErrorBody, ClientToServerEvents, ServerToClientEvents } from '@colloquy/shared';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: LiveSocket | null = null;

export function liveSocket(): LiveSocket {
  shared ??= io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 });
  return shared;
}

/** Thrown (and shown to people) when the server refuses a request. */
export class LiveError extends Error {
  readonly code: ApiErrorBody['code'];
  readonly body: ApiErrorBody;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.code = body.code;
    this.body = body;
  }
}

type EventName = keyof ClientToServerEvents & string;
type PayloadOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
type DataOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[1] extends (r: AckResult<infer T>) => void
  ? T
  : never;

/** Emits with an ack; resolves with the data or throws LiveError. Times out per attempt. */
export async function request<E extends EventName>(
  name: E,
  payload: PayloadOf<E>,
  opts: { timeoutMs?: number; attempts?: number; socket?: LiveSocket } = {},
): Promise<{ data: DataOf<E>; version?: number }> {
  const socket = opts.socket ?? liveSocket();
  const attempts = opts.attempts ?? 4;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      // Called on the socket: emitWithAck uses `this`, so it cannot be detached from it.
      const timed = socket.timeout(opts.timeoutMs ?? 5000) as unknown as {
        emitWithAck(n: string, p: unknown): Promise<AckResult<DataOf<E>>>;
      };
      const r = await timed.emitWithAck(name, payload);
      if (!r.ok) throw new LiveError(r.error);
      return r.version === undefined ? { data: r.data } : { data: r.data, version: r.version };
    } catch (err) {
      if (err instanceof LiveError) throw err;
      lastError = err; // no ack in time: try again with the same payload (and op id)
    }
  }
  throw lastError instanceof Error ? lastError : new Error('No answer from the server');
}

/** A state-changing request: adds a new op id, reused by every retry of this call. */
export function send<E extends EventName>(
  name: E,
  payload: Omit<PayloadOf<E>, 'opId'>,
  opts?: { timeoutMs?: number; attempts?: number; socket?: LiveSocket },
): Promise<{ data: DataOf<E>; version?: number }> {
  return request(name, { ...payload, opId: crypto.randomUUID() } as PayloadOf<E>, opts);
}
