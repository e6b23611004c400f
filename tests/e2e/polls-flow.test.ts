/**
 * Live polls in real Chromium pages against the real app: the moderator prepares a draft and
 * launches it, three audience pages vote (one changes their mind), the moderator's chart follows
 * with exact counts and percentages, the poll is closed and published, and every audience page
 * shows the final results; a reload keeps each person's own vote. axe-core finds nothing on the
 * polls panel (audience and moderator views) at desktop and phone widths, and the panel never
 * scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { axeViolations, launchBrowser, sidewaysOverflow } from '../support/browser.ts';
import { openAs } from '../support/stage.ts';
import { openTab, poll, VIEWPORTS } from '../support/e2e.ts';
import { makeEvent, personWith, type Person } from '../support/people.ts';

const SLUG = 'polls-e2e-panel';
const QUESTION = 'How do your students <b>reach</b> lessons when the network drops?';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** A page for `person` on the event, with the polls tab open and its panel synced. */
async function pageFor(person: Person, viewport = VIEWPORTS.desktop): Promise<Page> {
  const { context, page } = await openAs(browser, t.url, person, `/events/${SLUG}`, { viewport });
  contexts.push(context);
  await openPolls(page);
  return page;
}

async function openPolls(page: Page) {
  await openTab(page, 'Polls');
  await page.locator('#panel-polls .polls[data-synced="true"]').waitFor();
}

const panel = (page: Page) => page.locator('#panel-polls');
const card = (page: Page, question: string) =>
  page.locator('#panel-polls article[data-poll-id]', { has: page.getByRole('heading', { name: question }) });

/** The results table of a poll (the chart's text alternative): answer → [votes, share]. */
function results(page: Page, question: string) {
  return card(page, question)
    .locator('table')
    .evaluate((table) =>
      Object.fromEntries(
        [...table.querySelectorAll('tbody tr')].map((tr) => [
          tr.querySelector('th')!.textContent!.trim(),
          [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
        ]),
      ),
    )
    .catch(() => null);
}

let event: Awaited<ReturnType<typeof makeEvent>>;
let mona: Person;
const audience: Person[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({ web: true }), launchBrowser()]);
  event = await makeEvent(t, SLUG, 'live');
  mona = await personWith(t, 'moderator', event.id, 'Mona Moderator');
  for (const name of ['Amani', 'Bo', 'Chidi']) audience.push(await personWith(t, 'audience', event.id, name));
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

describe('a live poll in the browser', () => {
  it('is prepared, launched, voted on from three pages, charted live, closed and published', async () => {
    const [moderator, ...voters] = await Promise.all([pageFor(mona), ...audience.map((p) => pageFor(p))]);
    const [amani, bo, chidi] = voters as [Page, Page, Page];

    // A draft: the audience sees nothing of it.
    await panel(moderator).getByRole('button', { name: 'New poll' }).click();
    await panel(moderator).getByRole('radio', { name: 'Single choice' }).check();
    await panel(moderator).getByRole('textbox', { name: 'Question', exact: true }).fill(QUESTION);
    await panel(moderator).getByLabel('Option 1', { exact: true }).fill('Phones');
    await panel(moderator).getByLabel('Option 2', { exact: true }).fill('Radio');
    await panel(moderator).getByRole('button', { name: 'Add an option' }).click();
    await panel(moderator).getByLabel('Option 3', { exact: true }).fill('Printed packs');
    await panel(moderator).getByRole('button', { name: 'Create draft' }).click();
    const draft = card(moderator, QUESTION);
    await draft.getByText('Draft', { exact: true }).waitFor();
    for (const p of voters) await panel(p).getByText('No poll yet').waitFor();

    // Launched: each audience page gets the ballot, without counts.
    await draft.getByRole('button', { name: /^Launch/ }).click();
    await card(moderator, QUESTION).getByText('Open: voting').waitFor();
    for (const p of voters) await card(p, QUESTION).getByRole('radio', { name: 'Phones' }).waitFor();
    expect(await card(amani, QUESTION).locator('table').count()).toBe(0);
    // The question is text, never markup.
    expect(await amani.locator('#panel-polls b').count()).toBe(0);

    const vote = async (p: Page, option: string) => {
      await card(p, QUESTION).getByRole('radio', { name: option }).check();
      await card(p, QUESTION)
        .getByRole('button', { name: /^(Vote|Change my vote)$/ })
        .click();
      await card(p, QUESTION).getByText(`Your vote is counted: ${option}.`).waitFor();
    };
    await vote(amani, 'Phones');
    await poll(() => results(moderator, QUESTION)).toEqual({
      Phones: ['1', '100%'],
      Radio: ['0', '0%'],
      'Printed packs': ['0', '0%'],
    });
    await vote(bo, 'Radio');
    await vote(chidi, 'Printed packs');
    await poll(() => results(moderator, QUESTION)).toEqual({
      Phones: ['1', '33%'],
      Radio: ['1', '33%'],
      'Printed packs': ['1', '33%'],
    });
    // Chidi changes his mind: still one ballot each.
    await vote(chidi, 'Phones');
    await poll(() => results(moderator, QUESTION)).toEqual({
      Phones: ['2', '67%'],
      Radio: ['1', '33%'],
      'Printed packs': ['0', '0%'],
    });
    await card(moderator, QUESTION).getByText('3 voters', { exact: true }).waitFor();
    // The visible chart says the same.
    await card(moderator, QUESTION).getByText('2 · 67%').waitFor();
    expect(await card(bo, QUESTION).locator('table').count()).toBe(0);

    // Closed, then published: every audience page shows the final results.
    await card(moderator, QUESTION)
      .getByRole('button', { name: /^Close/ })
      .click();
    await card(moderator, QUESTION).getByText('Closed', { exact: true }).waitFor();
    for (const p of voters) await card(p, QUESTION).getByText('Voting has closed.', { exact: false }).waitFor();
    await card(moderator, QUESTION).getByRole('checkbox', { name: 'Show results to everyone' }).check();
    for (const p of voters) {
      await poll(() => results(p, QUESTION)).toEqual({
        Phones: ['2', '67%'],
        Radio: ['1', '33%'],
        'Printed packs': ['0', '0%'],
      });
      await card(p, QUESTION).getByText('3 voters', { exact: true }).waitFor();
      expect(await card(p, QUESTION).getByRole('radio').count()).toBe(0);
    }

    // A reload shows each person their own vote.
    await bo.reload();
    await openPolls(bo);
    await card(bo, QUESTION).getByText('Your vote: Radio.').waitFor();
  });
});

describe('accessibility of the polls panel', () => {
  it('has no axe violations and no sideways scroll, audience and moderator, at 1280 and 390 px', async () => {
    // Something of every kind on screen: an open word cloud and rating, a published closed poll (above).
    const setup = await pageFor(mona);
    for (const [kind, question] of [
      ['Word cloud', 'One word for how today felt?'],
      ['Rating 1–5', 'How useful was this session?'],
    ] as const) {
      await panel(setup).getByRole('button', { name: 'New poll' }).click();
      await panel(setup).getByRole('radio', { name: kind }).check();
      await panel(setup).getByRole('textbox', { name: 'Question', exact: true }).fill(question);
      await panel(setup).getByRole('button', { name: 'Create draft' }).click();
      await card(setup, question)
        .getByRole('button', { name: /^Launch/ })
        .click();
      await card(setup, question).getByText('Open: voting').waitFor();
    }
    const words = await pageFor(audience[0]!);
    await card(words, 'One word for how today felt?').getByLabel('Answer 1').fill('Hopeful');
    await card(words, 'One word for how today felt?').getByRole('button', { name: 'Vote' }).click();
    await card(words, 'One word for how today felt?').getByText('Your vote is counted: hopeful.').waitFor();
    await card(setup, 'One word for how today felt?')
      .getByRole('checkbox', { name: 'Show results to everyone' })
      .check();
    await card(setup, 'One word for how today felt?').getByText('1 voter', { exact: true }).waitFor();

    const problems: string[] = [];
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      for (const [who, person] of [
        ['audience', audience[1]!],
        ['moderator', mona],
      ] as const) {
        const page = await pageFor(person, viewport);
        await panel(page).getByRole('heading', { name: 'How useful was this session?' }).waitFor();
        if (who === 'moderator') await panel(page).getByRole('button', { name: 'New poll' }).click();
        else await card(page, 'One word for how today felt?').locator('table').waitFor({ state: 'attached' });
        const violations = await axeViolations(page, '#panel-polls');
        if (violations.length) problems.push(`${who} at ${size}: ${JSON.stringify(violations)}`);
        const sideways = await sidewaysOverflow(page, '#panel-polls');
        if (sideways.length) problems.push(`${who} at ${size}: sticks out sideways: ${sideways.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets an audience member vote with the keyboard only', async () => {
    const page = await pageFor(audience[2]!);
    const rating = card(page, 'How useful was this session?');
    await rating.getByRole('radio', { name: '1', exact: true }).focus();
    await page.keyboard.press('ArrowRight'); // radios in a group move with the arrows
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => rating.getByRole('radio', { name: '4', exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await rating.getByText('Your vote is counted: 4 out of 5.').waitFor();
  });
});
