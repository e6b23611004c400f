/** Rate limits on joining, invite redemption and token minting: refused with 429 and Retry-After, changing nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { api, makeEvent, personWith } from '../support/people.ts';

let t: TestApp;
let live: Awaited<ReturnType<typeof makeEvent>>;

beforeAll(async () => {
  t = await startTestApp();
  live = await makeEvent(t, 'limited-panel', 'live');
});
afterAll(() => t.close());

async function until429(call: () => Promise<Response>, max: number): Promise<{ okCount: number; refused: Response }> {
  for (let i = 0; i < max; i++) {
    const res = await call();
    if (res.status === 429) return { okCount: i, refused: res };
  }
  throw new Error(`no 429 within ${max} calls`);
}

describe('rate limits', () => {
  it('joins: 30 a minute from one address, then 429', async () => {
    const { okCount, refused } = await until429(
      () => api(t, 'post', '/api/events/limited-panel/join', { body: { mode: 'open', displayName: 'Crowd' } }),
      40,
    );
    expect(okCount).toBe(30);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.getSetCookie()).toEqual([]);
  });

  it('invite redemption: 10 a minute from one address, then 429', async () => {
    const { okCount } = await until429(
      () =>
        api(t, 'post', '/api/invites/redeem', {
          body: { token: 'aaaaaaaaaa.bbbbbbbbbb.cccccccccc', displayName: 'Guess' },
        }),
      20,
    );
    expect(okCount).toBe(10);
  });

  it('LiveKit tokens: 30 a minute per person, then 429', async () => {
    const speaker = await personWith(t, 'speaker', live.id);
    const { okCount, refused } = await until429(
      () => api(t, 'post', '/api/events/limited-panel/livekit-token', { cookie: speaker.cookie }),
      40,
    );
    expect(okCount).toBe(30);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another person is not affected.
    const other = await personWith(t, 'speaker', live.id);
    expect((await api(t, 'post', '/api/events/limited-panel/livekit-token', { cookie: other.cookie })).status).toBe(
      200,
    );
  });
});
