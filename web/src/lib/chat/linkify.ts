/**
 * Splits chat text into plain parts and links, for Svelte to render as text nodes and <a> elements
 * (never as HTML). linkify-it finds the URLs (also bare "example.org/page", made http); only
 * http and https survive: any other scheme (javascript:, data:, mailto:, ftp:) stays plain text.
 */
import { LinkifyIt } from 'linkify-it';

export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false });
for (const schema of ['ftp:', 'mailto:', '//']) linkify.add(schema, null);

/** The URL when it is a well-formed http(s) address, null otherwise. */
function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  const push = (t: string) => {
    if (!t) return;
    const last = parts.at(-1);
    if (last && last.href === undefined) last.text += t;
    else parts.push({ text: t });
  };
  for (const m of linkify.match(text) ?? []) {
    push(text.slice(at, m.index));
    const href = safeHref(m.url);
    if (href) parts.push({ text: m.text, href });
    else push(m.text);
    at = m.lastIndex;
  }
  push(text.slice(at));
  return parts;
}
