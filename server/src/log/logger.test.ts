import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it.each([
    ['/invite/abc.def.ghi', '/invite/[redacted]'],
    ['/api/invites/abc.def.ghi', '/api/invites/[redacted]'],
    ['/api/invites/redeem', '/api/invites/redeem'],
    ['/events/x/join?t=abc.def.ghi&x=1', '/events/x/join?t=[redacted]&x=1'],
    ['/events/x', '/events/x'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('createLogger', () => {
  it('never writes cookies, tokens, passwords or the renderer proof', () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    log.info(
      {
        req: {
          headers: {
            cookie: 'colloquy_session=SECRET1',
            authorization: 'Bearer SECRET4',
            'x-colloquy-internal': 'SECRET5',
          },
        },
        body: { token: 'SECRET2', password: 'SECRET3' },
      },
      'request',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toMatch(/SECRET/);
  });
});
