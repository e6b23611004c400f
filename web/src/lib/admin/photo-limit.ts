/**
 * The largest photo the upload form can carry: the API takes up to 5 MB, but the form goes
 * through SvelteKit's request body limit first (adapter-node's BODY_SIZE_LIMIT, 512 KB unless
 * the server sets it), so the smaller of the two. Server-side only.
 */
const API_MAX = 5 * 1024 * 1024;
/** Multipart framing around the file. */
const FORM_OVERHEAD = 4 * 1024;

function bodyLimit(): number {
  const raw = process.env.BODY_SIZE_LIMIT ?? '512K';
  const unit = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[raw.slice(-1).toUpperCase()];
  const bytes = unit ? Number(raw.slice(0, -1)) * unit : Number(raw);
  return Number.isNaN(bytes) ? 512 * 1024 : bytes;
}

export function photoLimitBytes(): number {
  return Math.min(API_MAX, bodyLimit() - FORM_OVERHEAD);
}

/** "5 MB", "500 KB": rounded down, so a file of the size we name always fits. */
export function photoLimitText(): string {
  const kb = Math.floor(photoLimitBytes() / 1024);
  if (kb >= 1024) return `${Math.floor(kb / 1024)} MB`;
  return `${kb >= 100 ? Math.floor(kb / 100) * 100 : kb} KB`;
}
