/**
 * A shared once-a-second clock for the browser. Components that read `now()` in a template or
 * effect re-render every second; one timer serves them all and runs only while someone reads it.
 */
import { createSubscriber } from 'svelte/reactivity';

const subscribe = createSubscriber((update) => {
  let interval: ReturnType<typeof setInterval> | undefined;
  // Tick on whole seconds, so every countdown on the page changes at the same moment.
  const align = setTimeout(
    () => {
      update();
      interval = setInterval(update, 1000);
    },
    1000 - (Date.now() % 1000),
  );
  return () => {
    clearTimeout(align);
    clearInterval(interval);
  };
});

/** The current time in ms; reactive (ticking every second) when read in a template or effect. */
export function now(): number {
  subscribe();
  return Date.now();
}
