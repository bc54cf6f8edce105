import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that spend most of their time waiting (on a process starting,
 * an idle timer, a deadline) or are simply the longest, in the order to start
 * them. Vitest orders files by their last durations, which a fresh clone does
 * not have: it then goes by file size, and these small files started last, so
 * a run ended with one of them waiting alone (idle-memory's 15 s watch began
 * 108 s into a 127 s run). Started first, their waits overlap other files' work.
 */
const SLOW_FIRST = [
  'packages/runtime/test/idle-memory.test.ts',
  // 100 rounds of two CLI processes racing for a run lock, then a lease left to lapse.
  'packages/client/test/lock-race.test.ts',
  'packages/client/test/lock.test.ts',
  'apps/standalone/test/start.test.ts',
  'apps/web/test/dashboard.test.ts',
  'apps/web/test/a11y.test.ts',
  'packages/db/test/pglite.test.ts',
  'apps/standalone/test/compiled.test.ts',
  'apps/web/test/check-page.test.ts',
  'packages/client/test/unreachable.test.ts',
  'apps/server/test/timeouts.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
