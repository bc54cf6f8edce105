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
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** Path before the check id, e.g. `/ping/`. */
  prefix: string;
  idsFile: string;
  seconds: number;
  connections: number;
  /** Requests per second over all connections; unlimited when absent. */
  rate?: number;
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

/** Seconds after the measured time in which answers to pings still in flight are collected. */
const TAIL_SECONDS = 2;

interface ConnectionContext {
  sentAt?: bigint;
  ping?: boolean;
}

async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const ids = JSON.parse(readFileSync(options.idsFile, 'utf8')) as string[];
  const latencies: number[] = [];
  const otherStatuses: Record<string, number> = {};
  let pingsOk = 0;
  let measuring = true;
  const stopAt = setTimeout(() => {
    measuring = false;
  }, options.seconds * 1000);

  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds + TAIL_SECONDS,
    ...(options.rate ? { overallRate: options.rate } : {}),
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
          if (!context.ping) return;
          if (status === 200) pingsOk += 1;
          else otherStatuses[status] = (otherStatuses[status] ?? 0) + 1;
          latencies.push(Number(process.hrtime.bigint() - (context.sentAt ?? 0n)) / 1e6);
        },
      },
    ],
  });
  clearTimeout(stopAt);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const load: LoadResult = {
    seconds: options.seconds,
    pingsOk,
    pingsPerSecond: Math.round(pingsOk / options.seconds),
    otherStatuses,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: at(0.5),
    p99: at(0.99),
    max: round(latencies.at(-1) ?? 0),
  };
  process.stdout.write(`${JSON.stringify(load)}\n`);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

await main();
