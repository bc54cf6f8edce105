/**
 * Garbage collection in a bench server, so a run can show how long V8
 * stopped it: at half the peak rate p99 is set by those pauses more than
 * by anything else (a young-generation collection of a few megabytes takes
 * 5–15 ms on the bench machine), so the figure belongs next to it.
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, PerformanceObserver } from 'node:perf_hooks';

/** Collections so far and the milliseconds the main thread spent in them: young (scavenges) and old (mark-compact and its incremental steps). */
export interface GcReading {
  young: number;
  youngMs: number;
  old: number;
  oldMs: number;
}

const OLD_KINDS = new Set([constants.NODE_PERFORMANCE_GC_MAJOR, constants.NODE_PERFORMANCE_GC_INCREMENTAL]);

/**
 * Counts this process's collections from now on and serves the totals as
 * JSON on a port of its own on 127.0.0.1 (not the app's, so the baseline and
 * Cronbeat are read alike). Resolves to the URL to read.
 */
export async function serveGcTotals(): Promise<string> {
  const totals: GcReading = { young: 0, youngMs: 0, old: 0, oldMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node's types leave out the detail of a gc entry; its kind is one of the NODE_PERFORMANCE_GC_* constants.
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        totals.young += 1;
        totals.youngMs += entry.duration;
      } else if (kind !== undefined && OLD_KINDS.has(kind)) {
        totals.old += 1;
        totals.oldMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const server = createServer((_request, response) => response.end(JSON.stringify(totals)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/**
 * The server's totals, read over HTTP; null when the server no longer
 * answers (the run then fails on its own). With `node:http`, not `fetch`:
 * Node loads fetch's implementation at its first call, and in the first
 * measured run that load (about a tenth of a second of CPU, on a machine the
 * run keeps busy) delayed the run's first pings enough to show in its p99.
 */
export function readGc(url: string): Promise<GcReading | null> {
  return new Promise((resolve) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as GcReading);
        } catch {
          resolve(null);
        }
      });
    }).on('error', () => resolve(null));
  });
}

/** What was collected between two readings, with pause times rounded to the millisecond. */
export function gcBetween(before: GcReading, after: GcReading): GcReading {
  return {
    young: after.young - before.young,
    youngMs: Math.round(after.youngMs - before.youngMs),
    old: after.old - before.old,
    oldMs: Math.round(after.oldMs - before.oldMs),
  };
}
