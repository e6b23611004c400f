import type { IncomingMessage } from 'node:http';

declare global {
  namespace App {
    interface Error {
      code?: string;
    }
    interface Locals {
      /** The viewer's IANA zone, from the `tz` cookie the browser sets; UTC until it does. */
      viewerZone: string;
    }
    interface Platform {
      /** adapter-node passes the Node request; Express adds `colloquy` to it. */
      req?: IncomingMessage & { colloquy?: { apiOrigin: string; internalSecret: string; clientIp: string } };
    }
  }
}

export {};
