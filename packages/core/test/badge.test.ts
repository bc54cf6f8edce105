import { describe, expect, it } from 'vitest';
import { type BadgeState, summarizeBadge } from '../src';

describe('badge states', () => {
  const cases: Array<[string, Parameters<typeof summarizeBadge>[0], Parameters<typeof summarizeBadge>[1], BadgeState]> = [
    ['all up', { up: 3 }, undefined, 'up'],
    ['one down', { up: 2, down: 1 }, undefined, 'down'],
    ['one late', { up: 2, late: 1 }, undefined, 'late'],
    ['nothing', {}, undefined, 'none'],
    ['new and paused count as up', { new: 1, paused: 1 }, undefined, 'up'],
    ['the only down check is in a window', { up: 2, down: 1 }, { down: 1, late: 0 }, 'maintenance'],
    ['one down in a window, another not', { down: 2 }, { down: 1, late: 0 }, 'down'],
    ['down in a window, late outside', { down: 1, late: 1 }, { down: 1, late: 0 }, 'late'],
    ['late in a window only', { up: 1, late: 1 }, { down: 0, late: 1 }, 'maintenance'],
  ];
  for (const [name, counts, inMaintenance, state] of cases) {
    it(name, () => expect(summarizeBadge(counts, inMaintenance).state).toBe(state));
  }
});
