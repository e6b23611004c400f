import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders emphasis, lists and links', () => {
    const html = renderMarkdown('Hello **world**\n\n- one\n- [two](https://example.org)');
    expect(html).toContain('<strong>world</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">two</a>');
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['[x](javascript:alert(1))', 'href="javascript'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="javascript'],
    ['<iframe src="https://evil"></iframe>', '<iframe'],
  ])('neutralizes %s', (source, forbidden) => {
    expect(renderMarkdown(source)).not.toContain(forbidden);
  });

  it('demotes h1 under the page title', () => {
    expect(renderMarkdown('# Big')).toBe('<h2>Big</h2>\n');
  });
});

describe('markdownToText', () => {
  it('strips markup and decodes entities', () => {
    expect(markdownToText('**Bold** & <b>raw</b>')).toBe('Bold & <b>raw</b>');
  });
  it('cuts long text at a word with an ellipsis', () => {
    const text = markdownToText('word '.repeat(100), 42);
    expect(text.length).toBeLessThanOrEqual(43);
    expect(text.endsWith('word…')).toBe(true);
  });
});
