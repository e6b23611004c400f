/**
 * An enhanced form's submission in progress, so its button can say so: `use:enhance={p.submit}`
 * and `disabled={p.busy}` (or aria-disabled). Without JavaScript the form posts as usual.
 */
import type { ActionResult, SubmitFunction } from '$app/forms';

interface Options {
  /** Clear the form after a successful submission (SvelteKit's default); false keeps what was typed. */
  reset?: boolean;
  /** Runs once the page has been updated with the result. */
  after?: (result: ActionResult) => void;
}

export class Pending {
  busy = $state(false);
  #options: Options;

  constructor(options: Options = {}) {
    this.#options = options;
  }

  submit: SubmitFunction = () => {
    this.busy = true;
    return async ({ result, update }) => {
      await update({ reset: this.#options.reset });
      this.busy = false;
      this.#options.after?.(result);
    };
  };
}
