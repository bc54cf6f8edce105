/**
 * One clock for every relative time on the page ("4 minutes ago"): a single
 * interval, running only while something shows a relative time, instead of a
 * timer per row. Each subscriber recomputes its own text on a tick, and React
 * re-renders only those whose text changed.
 */

/** How often relative times are brought up to date, in milliseconds. Seconds are the finest unit shown. */
const TICK_MS = 1_000;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let current = Date.now();

function tick(): void {
  current = Date.now();
  for (const listener of listeners) listener();
}

/** Calls `listener` on every tick until the returned function is called. */
export function subscribeToTicks(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    current = Date.now();
    timer = setInterval(tick, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * The time of the last tick, which every row shares so a list agrees on "now". While nothing
 * subscribes (the first render of a page) it is brought forward first, so it is never stale.
 */
export function tickTime(): number {
  if (timer === undefined && Date.now() - current >= TICK_MS) current = Date.now();
  return current;
}
