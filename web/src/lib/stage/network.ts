/** What the browser says about its connection (the Network Information API, Chromium-based browsers only). */

interface NetworkInformationLike {
  effectiveType?: string;
  saveData?: boolean;
}

const SLOW = new Set(['slow-2g', '2g', '3g']);

/** True when the browser reports a slow connection or the person asked to save data. */
export function slowConnection(nav: Navigator | undefined = globalThis.navigator): boolean {
  const c = (nav as (Navigator & { connection?: NetworkInformationLike }) | undefined)?.connection;
  if (!c) return false;
  return c.saveData === true || (typeof c.effectiveType === 'string' && SLOW.has(c.effectiveType));
}
