/**
 * A light Socket.IO client for load generation: the Engine.IO v4 / Socket.IO v5 protocol spoken
 * over Node's built-in WebSocket, main namespace only, JSON packets only. socket.io-client costs
 * 45–75 KB and much CPU per socket, which would measure the load generator instead of the server.
 *
 * Packets: `0{…}` open, `2` ping → `3` pong, `40` connect → `40{sid}`, `42["event",data]` event,
 * `42<id>["event",data]` event with ack → `43<id>[answer]`.
 */
type Handler = (data: unknown) => void;

export class LiteSocket {
  private ws: WebSocket | null = null;
  private nextAck = 1;
  private readonly acks = new Map<number, (answer: unknown) => void>();
  private readonly handlers = new Map<string, Handler>();
  private readonly url: string;
  private readonly cookie: string;
  closed = false;

  constructor(baseUrl: string, cookie = '') {
    this.url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    this.cookie = cookie;
  }

  /** Resolves once the Socket.IO namespace is connected. */
  connect(timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket connect timed out')), timeoutMs);
      const init = { headers: this.cookie ? { cookie: this.cookie } : {} };
      const ws = new WebSocket(this.url, init as unknown as string[]);
      this.ws = ws;
      ws.onerror = () => {
        clearTimeout(timer);
        reject(new Error('socket error'));
      };
      ws.onclose = () => {
        this.closed = true;
      };
      ws.onmessage = (msg) => {
        const text = String(msg.data);
        const type = text[0];
        if (type === '2') ws.send('3');
        else if (type === '0') ws.send('40');
        else if (type === '4') {
          const kind = text[1];
          if (kind === '0') {
            clearTimeout(timer);
            resolve();
          } else if (kind === '4') {
            clearTimeout(timer);
            reject(new Error(`connect refused: ${text.slice(2)}`));
          } else if (kind === '2') this.onEvent(text.slice(2));
          else if (kind === '3') this.onAck(text.slice(2));
        }
      };
    });
  }

  private onEvent(body: string): void {
    const start = body.indexOf('[');
    const [name, data] = JSON.parse(body.slice(start)) as [string, unknown];
    this.handlers.get(name)?.(data);
  }

  private onAck(body: string): void {
    const start = body.indexOf('[');
    const id = Number(body.slice(0, start));
    const [answer] = JSON.parse(body.slice(start)) as [unknown];
    const done = this.acks.get(id);
    this.acks.delete(id);
    done?.(answer);
  }

  on(event: string, handler: Handler): void {
    this.handlers.set(event, handler);
  }

  emitWithAck<T = unknown>(event: string, data: unknown, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const id = this.nextAck++;
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack for ${event} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer as T);
      });
      this.ws!.send(`42${id}${JSON.stringify([event, data])}`);
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const nowMs = () => performance.timeOrigin + performance.now();
