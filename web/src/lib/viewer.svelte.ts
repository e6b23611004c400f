/**
 * The viewer's time zone, shared with every component through context (never a module-level
 * variable: on the server one module serves every visitor). The server renders with the `tz`
 * cookie's zone (UTC until the browser has set it); once hydrated, the browser's own zone wins.
 */
import { createContext } from 'svelte';

export interface ViewerInit {
  viewerZone: string;
  /** False when the server fell back to UTC because no usable `tz` cookie came with the request. */
  zoneKnown: boolean;
  /** When the server rendered the page (ms since epoch), so hydration prints the same countdown. */
  renderedAt: number;
}

export class Viewer {
  #zone = $state('UTC');
  #known = $state(false);
  readonly renderedAt: number;

  constructor(init: ViewerInit) {
    this.#zone = init.viewerZone;
    this.#known = init.zoneKnown;
    this.renderedAt = init.renderedAt;
  }

  get zone(): string {
    return this.#zone;
  }
  /** True once the zone came from the viewer's browser rather than the UTC fallback. */
  get known(): boolean {
    return this.#known;
  }

  /** Adopts the browser's zone and remembers it in the `tz` cookie for server rendering. */
  adoptBrowserZone(): void {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || !/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return;
    const cookie = document.cookie.split('; ').find((c) => c.startsWith('tz='));
    if (cookie?.slice(3) !== zone) {
      document.cookie = `tz=${zone}; path=/; max-age=31536000; samesite=lax`;
    }
    this.#zone = zone;
    this.#known = true;
  }
}

export const [getViewer, setViewer] = createContext<Viewer>();
