/**
 * The load generator, run as its own process: GETs of
 * `<url><prefix><check id>` over a pool of keep-alive sockets
 * (`keep-alive-pool.ts`), then one JSON line of results. Three modes:
 *
 * - timed (the default): each connection sends its next ping as soon as its
 *   last is answered, to a random id, for `seconds`. Every ping sent in that
 *   time is waited for, so the 200s received can be compared exactly with
 *   the pings stored.
 * - paced (`rate`): one ping every 1/rate seconds, however fast the answers
 *   come, each timed from when it was due (so a ping waiting for a free
 *   socket counts that wait too). A closed loop, or a limiter that lets each
 *   connection send its quota for the second back to back, would measure
 *   full load for part of every second, not the rate.
 * - every id (`everyId`): one ping to each id, in file order, as fast as
 *   `connections` allow (a warm-up).
 *
 * Timed and paced runs print `{"window":"start"}` and `{"window":"end"}` as
 * pings start and stop being measured, so the caller can read CPU use over
 * exactly that time.
 */
import { readFileSync } from 'node:fs';
import { type Answer, KeepAlivePool } from './keep-alive-pool';

export interface LoadOptions {
  url: string;
  /** Path before the check id, e.g. `/ping/`. */
  prefix: string;
  idsFile: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections, evenly spaced; unlimited when absent. */
  rate?: number;
  /** Instead of a timed run: one request to every id, in file order, as fast as `connections` allow (a warm-up). */
  everyId?: boolean;
}

export interface LoadResult {
  seconds: number;
  pingsOk: number;
  pingsPerSecond: number;
  /** Answers other than 200, by status. */
  otherStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
}

/**
 * Seconds a paced run first sends `/healthz` at the same rate: it opens the
 * sockets and warms this process up, which otherwise puts the first half
 * second's pings, a few percent of a run, over 50 ms.
 */
const PACED_WARM_UP_SECONDS = 1;

/** Answers as they come: 200s, the other statuses by code, failures, and the time of each answered ping (ms). */
class Answers {
  pingsOk = 0;
  errors = 0;
  timeouts = 0;
  readonly otherStatuses: Record<string, number> = {};
  readonly latencies: number[] = [];

  add(answer: Answer, latency: number): void {
    if (answer === 'error') this.errors += 1;
    else if (answer === 'timeout') this.timeouts += 1;
    else {
      if (answer === 200) this.pingsOk += 1;
      else this.otherStatuses[answer] = (this.otherStatuses[answer] ?? 0) + 1;
      this.latencies.push(latency);
    }
  }
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const ids = JSON.parse(readFileSync(options.idsFile, 'utf8')) as string[];
  const load = options.everyId
    ? await everyIdOnce(options, ids)
    : options.rate
      ? await paced(options, ids, options.rate)
      : await timed(options, ids);
  process.stdout.write(`${JSON.stringify(load)}\n`);
}

const sinceMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * Keeps `connections` requests in flight: each connection sends the next
 * path as soon as its last is answered, until `nextPath` returns null.
 * Resolves once every request sent is answered. A connection whose socket
 * fails stops.
 */
function closedLoop(pool: KeepAlivePool, connections: number, nextPath: () => string | null, answers: Answers): Promise<void> {
  return new Promise((resolve) => {
    let running = connections;
    const stop = () => {
      if (--running === 0) resolve();
    };
    const send = () => {
      const path = nextPath();
      if (path === null) return stop();
      const sentAt = process.hrtime.bigint();
      pool.get(path, (answer) => {
        answers.add(answer, sinceMs(sentAt));
        if (typeof answer === 'number') send();
        else stop();
      });
    };
    for (let i = 0; i < connections; i++) send();
  });
}

/** Pings random ids as fast as `connections` keep-alive sockets go, for `seconds`. */
async function timed(options: LoadOptions, ids: string[]): Promise<LoadResult> {
  const pool = await KeepAlivePool.open(options.url, options.connections);
  const answers = new Answers();
  let measuring = true;
  const stopMeasuring = () => {
    if (!measuring) return;
    measuring = false;
    markWindow('end');
  };
  markWindow('start');
  const timer = setTimeout(stopMeasuring, options.seconds * 1000);
  const randomPath = () => `${options.prefix}${ids[Math.floor(Math.random() * ids.length)]}`;
  await closedLoop(pool, options.connections, () => (measuring ? randomPath() : null), answers);
  clearTimeout(timer);
  stopMeasuring(); // early only when every socket failed
  pool.close();
  return summary(options.seconds, answers);
}

/** One request to each id, in file order; counts the answers. */
async function everyIdOnce(options: LoadOptions, ids: string[]): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  const pool = await KeepAlivePool.open(options.url, options.connections);
  const answers = new Answers();
  let next = 0;
  await closedLoop(pool, options.connections, () => (next < ids.length ? `${options.prefix}${ids[next++]}` : null), answers);
  pool.close();
  return summary(sinceMs(started) / 1000, answers);
}

/** One ping every 1/rate seconds, evenly spaced, until `seconds` have passed; then waits for every answer. */
async function paced(options: LoadOptions, ids: string[], rate: number): Promise<LoadResult> {
  const pool = await KeepAlivePool.open(options.url, options.connections);
  const answers = new Answers();
  let unanswered = 0;
  let allAnswered = () => {};
  const send = (dueAt: bigint, ping: boolean) => {
    unanswered += 1;
    const id = ids[Math.floor(Math.random() * ids.length)];
    pool.get(ping ? `${options.prefix}${id}` : '/healthz', (answer) => {
      // Warm-up answers are not counted, but its failures are.
      if (ping || typeof answer !== 'number') answers.add(answer, sinceMs(dueAt));
      if (--unanswered === 0) allAnswered();
    });
  };
  const warmUp = Math.round(rate * PACED_WARM_UP_SECONDS);
  const total = warmUp + Math.round(rate * options.seconds);
  const interval = 1e9 / rate;
  const start = process.hrtime.bigint();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = Number(process.hrtime.bigint() - start);
      for (const due = Math.min(total, Math.floor(elapsed / interval) + 1); sent < due; sent++) {
        if (sent === warmUp) markWindow('start');
        send(start + BigInt(Math.round(sent * interval)), sent >= warmUp);
      }
      if (sent >= total) {
        markWindow('end');
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  if (unanswered > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  pool.close();
  return summary(options.seconds, answers);
}

const markWindow = (edge: 'start' | 'end') => process.stdout.write(`${JSON.stringify({ window: edge })}\n`);

function summary(seconds: number, { pingsOk, otherStatuses, errors, timeouts, latencies }: Answers): LoadResult {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    seconds,
    pingsOk,
    pingsPerSecond: Math.round(pingsOk / seconds),
    otherStatuses,
    errors,
    timeouts,
    p50: at(0.5),
    p99: at(0.99),
    max: round(latencies.at(-1) ?? 0),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

await main();
