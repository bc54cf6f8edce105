/**
 * The load generator, run as its own process: autocannon hitting
 * `<url><prefix><random check id>` for a fixed time, then printing one JSON
 * line of results.
 *
 * Exact counting: autocannon drops requests in flight when its time is up,
 * and the server may still commit those, so "stored" and "200s received"
 * would differ by up to one per connection. Instead, once the measured time
 * is over, every connection switches to `/healthz` for a short tail, so each
 * ping sent gets its answer; only ping answers are counted and timed.
 *
 * With a `rate`, autocannon is not used: its limiter lets each connection
 * send its whole quota for the second back to back and then idle until the
 * next second, all connections in step, so "half the peak rate" is really
 * full load for half of every second and its p99 that of full load. Paced
 * runs instead send one ping every 1/rate seconds over a keep-alive pool of
 * `connections` sockets (`keep-alive-pool.ts`), and time each from when it
 * was due (so a ping waiting for a free socket counts that wait too).
 *
 * Timed runs print `{"window":"start"}` and `{"window":"end"}` as pings
 * start and stop being measured, so the caller can read CPU use over
 * exactly that time.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { KeepAlivePool } from './keep-alive-pool';

export interface LoadOptions {
  url: string;
  /** Path before the check id, e.g. `/ping/`. */
  prefix: string;
  idsFile: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections, evenly spaced; unlimited when absent. */
  rate?: number;
  /** Instead of a timed run: one request to every id, in random order, as fast as `connections` allow (a warm-up). */
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

/** Seconds after the measured time in which answers to pings still in flight are collected. */
const TAIL_SECONDS = 2;

/** Answers to pings as they come: 200s, the other statuses by code, and the time of each timed one (ms). */
class Answers {
  pingsOk = 0;
  readonly otherStatuses: Record<string, number> = {};
  readonly latencies: number[] = [];

  add(status: number, latency?: number): void {
    if (status === 200) this.pingsOk += 1;
    else this.otherStatuses[status] = (this.otherStatuses[status] ?? 0) + 1;
    if (latency !== undefined) this.latencies.push(latency);
  }
}

interface ConnectionContext {
  sentAt?: bigint;
  ping?: boolean;
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const ids = JSON.parse(readFileSync(options.idsFile, 'utf8')) as string[];
  const load = options.everyId
    ? await everyIdOnce(options, ids)
    : options.rate
      ? await paced(options, ids, options.rate)
      : await unlimited(options, ids);
  process.stdout.write(`${JSON.stringify(load)}\n`);
}

/** As fast as `connections` keep-alive clients can go. */
async function unlimited(options: LoadOptions, ids: string[]): Promise<LoadResult> {
  const answers = new Answers();
  let measuring = true;
  markWindow('start');
  const stopAt = setTimeout(() => {
    measuring = false;
    markWindow('end');
  }, options.seconds * 1000);

  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds + TAIL_SECONDS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context: ConnectionContext) => {
          context.ping = measuring;
          context.sentAt = process.hrtime.bigint();
          const id = ids[Math.floor(Math.random() * ids.length)];
          return { ...request, path: measuring ? `${options.prefix}${id}` : '/healthz' };
        },
        onResponse: (status, _body, context: ConnectionContext) => {
          if (context.ping) answers.add(status, Number(process.hrtime.bigint() - (context.sentAt ?? 0n)) / 1e6);
        },
      },
    ],
  });
  clearTimeout(stopAt);
  return summary(options.seconds, answers, result.errors, result.timeouts);
}

/** One request to each id; counts the answers but times nothing. */
async function everyIdOnce(options: LoadOptions, ids: string[]): Promise<LoadResult> {
  const answers = new Answers();
  let next = 0;
  const started = Date.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    amount: ids.length,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `${options.prefix}${ids[next++ % ids.length]}` }),
        onResponse: (status) => answers.add(status),
      },
    ],
  });
  return summary((Date.now() - started) / 1000, answers, result.errors, result.timeouts);
}

/** One ping every 1/rate seconds, evenly spaced, until `seconds` have passed; then waits for every answer. */
async function paced(options: LoadOptions, ids: string[], rate: number): Promise<LoadResult> {
  const pool = await KeepAlivePool.open(options.url, options.connections);
  const answers = new Answers();
  let errors = 0;
  let unanswered = 0;
  let allAnswered = () => {};
  const send = (dueAt: bigint, ping: boolean) => {
    unanswered += 1;
    const id = ids[Math.floor(Math.random() * ids.length)];
    pool.get(ping ? `${options.prefix}${id}` : '/healthz', (status) => {
      if (status === 0) errors += 1;
      else if (ping) answers.add(status, Number(process.hrtime.bigint() - dueAt) / 1e6);
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
  return summary(options.seconds, answers, errors, 0);
}

const markWindow = (edge: 'start' | 'end') => process.stdout.write(`${JSON.stringify({ window: edge })}\n`);

function summary(seconds: number, { pingsOk, otherStatuses, latencies }: Answers, errors: number, timeouts: number): LoadResult {
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
