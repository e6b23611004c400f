/** Launches the system Chromium through playwright-core, with the flags this machine needs. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      ...extraArgs,
    ],
  });
}

/** Runs axe-core on the page, or only inside `include` (WCAG 2.x A and AA rules), and returns the violations. */
export async function axeViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const results = await builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/**
 * What sticks out sideways in `selector`: the element itself (scrolling sideways or past the
 * window), or anything in it past its right edge or the window's, or scrolling sideways, that no
 * clipping box inside the element hides (as `.visually-hidden` hides a chart's table). A
 * description of each; empty when nothing does.
 */
export function sidewaysOverflow(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((panel) => {
    const limit = Math.min(panel.getBoundingClientRect().right, window.innerWidth) + 1;
    const clips = (el: Element) => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const clipped = (el: Element) => {
      for (let a: Element | null = el; a && a !== panel; a = a.parentElement) if (clips(a)) return true;
      return false;
    };
    return [panel, ...panel.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > limit || el.scrollWidth > el.clientWidth + 1)
      .filter((el) => el === panel || (!clipped(el) && el.getClientRects().length > 0))
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} > ${Math.round(limit)})`,
      );
  });
}
