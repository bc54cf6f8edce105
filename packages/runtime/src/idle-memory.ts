/**
 * Gives V8's young generation back once a process goes idle.
 *
 * V8 grows the young generation while a process allocates fast (start-up,
 * a burst of pings), up to `--max-semi-space-size` (64 MB for Cronbeat's
 * servers: 128 MB of young generation in all), and shrinks it only at a
 * collection that finds allocation slow. An idle process allocates so
 * little that its next collection can be minutes away, and the grown young
 * generation stays resident until then: measured, a server that had taken
 * pings idled at 265 MB, of which 128 MB were an empty young generation.
 *
 * So every `intervalMs`, if the event loop was idle for most of the
 * interval and the young generation is larger than V8 starts it, this asks
 * V8 for one young-generation collection (about a millisecond when idle).
 * V8 then sees the slow allocation and shrinks it itself. A busy process
 * is left alone: its young generation is what keeps collections out of the
 * ping latency.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleMemoryOptions {
  /** How often to look, in milliseconds. Default: 10,000. */
  intervalMs?: number;
  /**
   * Share of the interval the event loop may have been busy for the process
   * to count as idle. Default: 0.25: an embedded process that only sweeps
   * is busy 5 to 15% of the time on a loaded machine; one taking pings at a
   * rate where collections matter, well over half.
   */
  busyAtMost?: number;
}

/** A young generation at most this large is left alone: V8 starts it at 1 to 2 MB. */
const SMALL_YOUNG_GENERATION = 4 * 1024 * 1024;

type Collect = (options: { type: 'minor' | 'major' }) => void;

/**
 * V8's `gc` function. Node gives it to scripts only under `--expose-gc`;
 * set at run time, the flag applies to contexts created afterwards, so one
 * new context hands it over and the flag is turned off again.
 */
function collector(): Collect {
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (typeof exposed === 'function') return exposed;
  v8.setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as Collect;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

const youngGenerationBytes = () =>
  v8
    .getHeapSpaceStatistics()
    .filter((space) => space.space_name === 'new_space' || space.space_name === 'new_large_object_space')
    .reduce((total, space) => total + space.space_size, 0);

/** Starts watching (see above); returns how to stop. The timer never keeps the process alive. */
export function trimMemoryWhenIdle(options: IdleMemoryOptions = {}): () => void {
  const { intervalMs = 10_000, busyAtMost = 0.25 } = options;
  const collect = collector();
  let since = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, since).utilization;
    since = now;
    if (busy <= busyAtMost && youngGenerationBytes() > SMALL_YOUNG_GENERATION) collect({ type: 'minor' });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
