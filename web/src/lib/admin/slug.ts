/** Web addresses (slugs) suggested from titles and names. */
import { LIMITS } from '@colloquy/shared';

/**
 * "Living Lab #5: Schools & Weak Networks" → "living-lab-5-schools-weak-networks". Accents are
 * dropped; letters outside the Latin alphabet are too, so an Arabic title gives "" and the
 * organizer types the address.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, LIMITS.slugMaxLength)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = '[a-z0-9]+(-[a-z0-9]+)*';
