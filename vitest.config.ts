import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './scripts/slow-first-sequencer';

export default defineConfig({
  test: {
    include: ['{apps,packages}/*/test/**/*.test.ts'],
    globalSetup: ['packages/db/test/global-setup.ts', 'packages/client/test/support/global-setup.ts'],
    // Tests assert behaviour, not speed (that is `npm run bench`): the deadline only catches a test that hangs,
    // and must not catch one that waited its turn while the browser, process and lock-race suites share two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A test file's own process had to import the server, the worker and their dependencies
    // again, about 3 s of CPU per file: the workers now run file after file in one module graph.
    // Files already keep to their own database, key prefix, ports and temporary directories, and
    // share nothing that a file before them could leave behind (metrics are read as differences).
    isolate: false,
    // Vitest's default leaves one core of two to its main process, so a 2-core machine ran one file
    // at a time and sat idle while a file waited on a browser, a child process or a timer. More
    // workers than cores keep them busy while a file waits (the idle-memory, start, lock, timeout and
    // browser suites spend most of their time waiting), for the price of a module graph each. Without
    // the services, two more: 331 s → 288 s on 2 cores (six workers: 284 s, the CPU then the limit).
    // With Postgres and Redis running beside them (as in CI), one more: the load CI's suites were made to hold.
    maxWorkers: availableParallelism() + (process.env.DATABASE_URL ? 1 : 2),
    // PGlite's WebAssembly compiled by V8's baseline compiler only: a test database runs a few hundred
    // statements, too few for TurboFan's optimised code to pay for compiling it (the server, worker and
    // db suites: 115 → 105 s of CPU). JavaScript is compiled as ever; servers in production keep both tiers.
    execArgv: ['--liftoff-only'],
    sequence: { sequencer: SlowFirstSequencer },
  },
});
