import { describe, expect, it } from 'vitest';
import { textParts } from './linkify.ts';

describe('chat links', () => {
  it('finds http and https links and keeps the rest as text', () => {
    expect(textParts('See https://example.org/a?b=1 and http://x.test.')).toEqual([
      { text: 'See ' },
      { text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { text: ' and ' },
      { text: 'http://x.test', href: 'http://x.test/' },
      { text: '.' },
    ]);
  });

  it('makes bare domains http links', () => {
    expect(textParts('go to example.com/page')).toEqual([
      { text: 'go to ' },
      { text: 'example.com/page', href: 'http://example.com/page' },
    ]);
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'click javascript:alert(document.cookie)//https://x.org',
      'data:text/html,<script>alert(1)</script>',
      'mailto:someone@example.org',
      'ftp://files.example.org',
      'vbscript:msgbox(1)',
    ]) {
      const parts = textParts(text);
      expect(parts.map((p) => p.text).join('')).toBe(text);
      for (const p of parts) if (p.href) expect(p.href).toMatch(/^https?:\/\//);
    }
    expect(textParts('javascript:alert(1)')).toEqual([{ text: 'javascript:alert(1)' }]);
  });

  it('keeps markup as text', () => {
    expect(textParts('<script>alert(1)</script>')).toEqual([{ text: '<script>alert(1)</script>' }]);
  });

  it('handles text with no links and empty text', () => {
    expect(textParts('hello')).toEqual([{ text: 'hello' }]);
    expect(textParts('')).toEqual([]);
  });
});
