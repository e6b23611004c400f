/**
 * A real network fault between a browser and the server: the audience page reaches the app through
 * a TCP proxy the test controls. While the proxy is cut (every connection destroyed, new ones
 * refused — the page's WebSocket really dies, which Playwright's offline switch would not do),
 * 100 upvotes are broadcast as 100 separate deltas, a question is asked and approved, and another
 * is dismissed. Once the network is back, the page shows exactly the server's state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SESSION_COOKIE, type LiveDelta, type LiveSnapshot, type QaState } from '@colloquy/shared';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { poll } from '../support/e2e.ts';
import { api, makeEvent, personWith, type Person } from '../support/people.ts';
import { write } from '../support/qa-live.ts';
import { socketFor, type ClientSocket } from '../support/sockets.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const SLUG = 'network-fault';
let t: TestApp;
let browser: Browser;
let proxy: TcpProxy;
let event: Awaited<ReturnType<typeof makeEvent>>;
let viewer: Person;
let moderator: ClientSocket;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true }), launchBrowser()]);
  proxy = await startTcpProxy(Number(new URL(t.url).port));
  event = await makeEvent(t, SLUG, 'live');
  viewer = await personWith(t, 'audience', event.id, 'Wanjiru');
  moderator = await socketFor(t.url, (await personWith(t, 'moderator', event.id)).cookie);
  sockets.push(moderator);
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await browser?.close();
  await proxy?.close();
  await t?.close();
});

/** Question id → vote count, as the page shows it. */
const shown = (page: Page) =>
  page
    .locator('#panel-qa li[data-question-id]')
    .evaluateAll((items) =>
      Object.fromEntries(
        items.map((li) => [li.getAttribute('data-question-id'), Number(li.querySelector('.count')?.textContent)]),
      ),
    );

/** Question id → vote count, as the server holds it for the viewer. */
async function server(): Promise<Record<string, number>> {
  const res = await api(t, 'get', `/api/events/${SLUG}/questions`, { cookie: viewer.cookie });
  const snap = (await res.json()) as LiveSnapshot<QaState>;
  return Object.fromEntries(Object.values(snap.state.questions).map((q) => [q.id, q.votes]));
}

const viewerSockets = () =>
  [...t.app.io.sockets.sockets.values()].filter((s) => s.data.principal?.userId === viewer.userId).length;

async function ask(text: string): Promise<string> {
  const asker = await socketFor(t.url, (await personWith(t, 'audience', event.id)).cookie);
  sockets.push(asker);
  const ack = await write<{ id: string }>(asker, 'qa:ask', { slug: SLUG, text });
  if (!ack.ok) throw new Error(JSON.stringify(ack));
  return ack.data.id;
}

describe('a browser cut off by a real network fault', () => {
  it('misses 100 deltas and, once back, shows exactly the server state', async () => {
    const kept = await ask('How do rural schools keep teachers in post?');
    const dismissed = await ask('Is this session recorded?');

    const context = await browser.newContext();
    await context.addCookies([
      { name: SESSION_COOKIE, value: viewer.cookie.slice(SESSION_COOKIE.length + 1), url: proxy.url },
    ]);
    const page = await context.newPage();
    await page.goto(`${proxy.url}/events/${SLUG}`);
    await page.locator('.qa[data-synced="true"]').waitFor();
    await poll(() => shown(page)).toEqual({ [kept]: 0, [dismissed]: 0 });
    expect(viewerSockets()).toBe(1);

    proxy.cut();
    await poll(() => viewerSockets()).toBe(0);

    // An observer that stays connected counts the deltas the page misses.
    const observer = await socketFor(t.url, (await personWith(t, 'audience', event.id)).cookie);
    sockets.push(observer);
    expect((await observer.timeout(5000).emitWithAck('event:subscribe', { slug: SLUG })).ok).toBe(true);
    const missed: LiveDelta[] = [];
    observer.on('live:delta', (d) => {
      if (d.feature === 'qa') missed.push(d);
    });

    for (let i = 0; i < 100; i++) {
      const voter = await socketFor(t.url, (await personWith(t, 'audience', event.id)).cookie);
      sockets.push(voter);
      const ack = await write(voter, 'qa:vote', { slug: SLUG, questionId: kept, up: true });
      expect(ack.ok).toBe(true);
      t.app.live.hub.flush(); // one delta per vote, not coalesced: the page misses 100 of them
      voter.disconnect();
    }
    const added = await ask('What did the Paris meeting decide about evaluation?');
    t.app.live.hub.flush();
    expect((await write(moderator, 'qa:dismiss', { slug: SLUG, questionId: dismissed })).ok).toBe(true);
    t.app.live.hub.flush();
    await poll(() => missed.length).toBeGreaterThanOrEqual(102);
    // Still cut off: the page shows the old state.
    expect(await shown(page)).toEqual({ [kept]: 0, [dismissed]: 0 });

    proxy.restore();
    await poll(() => viewerSockets()).toBe(1);
    const expected = await server();
    expect(expected).toEqual({ [kept]: 100, [added]: 0 });
    await poll(() => shown(page)).toEqual(expected);
    await context.close();
  });
});
