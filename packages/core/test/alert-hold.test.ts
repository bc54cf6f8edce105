import { describe, expect, it } from 'vitest';
import {
  type AlertContext,
  alertVerdict,
  type FollowUp,
  type FollowUpInput,
  followUp,
  groupedProjects,
  releaseVerdict,
  type Status,
} from '../src';

const END = new Date('2026-06-07T04:00:00Z');
const none: AlertContext = { maintenance: null, downParents: [], incidentAlerted: true };
const inWindow: AlertContext = { ...none, maintenance: { windowId: 'w', end: END } };
const parentDown: AlertContext = { ...none, downParents: ['parent'] };
const flip = (from: Status, to: Status) => ({ from, to });

describe('alert verdicts', () => {
  const cases: Array<[string, { from: Status; to: Status }, AlertContext, ReturnType<typeof alertVerdict>]> = [
    ['down, nothing known: sent', flip('up', 'down'), none, { send: true }],
    [
      'down inside a window: held until it ends',
      flip('up', 'down'),
      inWindow,
      { send: false, hold: { kind: 'maintenance', windowId: 'w', until: END } },
    ],
    [
      'down while a parent is down: held for it',
      flip('up', 'down'),
      parentDown,
      { send: false, hold: { kind: 'dependency', parents: ['parent'] } },
    ],
    [
      'down in a window while a parent is down: the parent holds it',
      flip('late', 'down'),
      { ...inWindow, downParents: ['p'] },
      { send: false, hold: { kind: 'dependency', parents: ['p'] } },
    ],
    ['recovery of an incident told: sent', flip('down', 'up'), none, { send: true }],
    [
      'recovery of an incident never told: never sent',
      flip('down', 'up'),
      { ...none, incidentAlerted: false },
      { send: false, hold: null },
    ],
    [
      'recovery inside a window of an incident told: held',
      flip('down', 'up'),
      inWindow,
      { send: false, hold: { kind: 'maintenance', windowId: 'w', until: END } },
    ],
    ['recovery while a parent is down: sent (it is back)', flip('down', 'up'), parentDown, { send: true }],
    ['late inside a window: never sent', flip('up', 'late'), inWindow, { send: false, hold: null }],
    ['late outside: sent', flip('up', 'late'), none, { send: true }],
  ];
  for (const [name, f, context, verdict] of cases) it(name, () => expect(alertVerdict(f, context)).toEqual(verdict));
});

describe('releasing a held alert', () => {
  const cases: Array<
    [string, { to: Status; latest: boolean }, Status, Omit<AlertContext, 'incidentAlerted'>, ReturnType<typeof releaseVerdict>]
  > = [
    ['window over, still down: sent', { to: 'down', latest: true }, 'down', none, { send: true }],
    ['window over, back up since: dropped', { to: 'down', latest: false }, 'up', none, { send: false, drop: true }],
    ['another window in force: held on until it ends', { to: 'down', latest: true }, 'down', inWindow, { send: false, until: END }],
    ['parent still down: held on until it is back', { to: 'down', latest: true }, 'down', parentDown, { send: false, until: null }],
    ['parent back, still down: sent', { to: 'down', latest: true }, 'down', none, { send: true }],
    ['recovery held, still up: sent', { to: 'up', latest: true }, 'up', none, { send: true }],
    ['recovery held, down again since: dropped', { to: 'up', latest: false }, 'down', none, { send: false, drop: true }],
    ['paused since: dropped', { to: 'down', latest: true }, 'paused', none, { send: false, drop: true }],
  ];
  for (const [name, held, status, context, verdict] of cases)
    it(name, () => expect(releaseVerdict(held, status, context)).toEqual(verdict));
});

describe('follow-ups', () => {
  const DOWN_AT = new Date('2026-06-07T00:00:00Z');
  const hour = (h: number) => new Date(DOWN_AT.getTime() + h * 3_600_000);
  const base: FollowUpInput = {
    status: 'down',
    remindEvery: 3600,
    latest: { to: 'down', held: false, told: true },
    down: { at: DOWN_AT, told: true, acknowledged: false },
    maintenance: null,
    downParents: [],
  };
  const cases: Array<[string, Partial<FollowUpInput>, Date, FollowUp]> = [
    ['a told incident gets its second reminder', {}, hour(2.5), { release: false, drop: false, reminder: 2, remindAt: hour(3) }],
    [
      'no reminders without remind every',
      { remindEvery: null },
      hour(2.5),
      { release: false, drop: false, reminder: null, remindAt: null },
    ],
    [
      'a reminder inside a window waits for its end',
      { maintenance: { windowId: 'w', end: hour(4) } },
      hour(2.5),
      { release: false, drop: false, reminder: null, remindAt: hour(4) },
    ],
    [
      'a held down is released once the window is over, without a reminder beside it',
      { latest: { to: 'down', held: true, told: false }, down: { at: DOWN_AT, told: false, acknowledged: false } },
      hour(2.5),
      { release: true, drop: false, reminder: null, remindAt: hour(3) },
    ],
    [
      'a held down stays held while another window is in force',
      { latest: { to: 'down', held: true, told: false }, maintenance: { windowId: 'w2', end: hour(5) } },
      hour(2.5),
      { release: false, drop: false, reminder: null, remindAt: hour(5) },
    ],
    [
      'a held down waits for its parent, with no time set',
      { latest: { to: 'down', held: true, told: false }, downParents: ['p'] },
      hour(1),
      { release: false, drop: false, reminder: null, remindAt: null },
    ],
    [
      'a held down of a check back up is dropped',
      { status: 'up', latest: { to: 'down', held: true, told: false } },
      hour(1),
      { release: false, drop: true, reminder: null, remindAt: null },
    ],
    [
      'an incident never told gets no reminders',
      { down: { at: DOWN_AT, told: false, acknowledged: false } },
      hour(2.5),
      { release: false, drop: false, reminder: null, remindAt: null },
    ],
    [
      'an acknowledged incident gets no more reminders, and nothing to look at again',
      { down: { at: DOWN_AT, told: true, acknowledged: true } },
      hour(2.5),
      { release: false, drop: false, reminder: null, remindAt: null },
    ],
    [
      'an acknowledged incident whose alert was held still has it released, without reminders after',
      { latest: { to: 'down', held: true, told: false }, down: { at: DOWN_AT, told: false, acknowledged: true } },
      hour(2.5),
      { release: true, drop: false, reminder: null, remindAt: null },
    ],
    [
      'a held recovery is released while still up',
      { status: 'up', latest: { to: 'up', held: true, told: false } },
      hour(1),
      { release: true, drop: false, reminder: null, remindAt: null },
    ],
  ];
  for (const [name, input, now, expected] of cases) it(name, () => expect(followUp({ ...base, ...input }, now)).toEqual(expected));
});

describe('grouping', () => {
  const above = (limits: Record<string, number | null>) => (projectId: string) => limits[projectId] ?? null;
  const cases: Array<[string, string[], Record<string, number | null>, string[]]> = [
    ['six downs above the default five', Array(6).fill('a'), { a: 5 }, ['a']],
    ['five downs: not above five', Array(5).fill('a'), { a: 5 }, []],
    ['never grouped when the project says null', Array(50).fill('a'), { a: null }, []],
    ['projects counted apart', [...Array(6).fill('a'), ...Array(3).fill('b')], { a: 5, b: 2 }, ['a', 'b']],
    ['a low threshold', ['a', 'a'], { a: 1 }, ['a']],
    ['nothing down', [], { a: 5 }, []],
  ];
  for (const [name, downs, limits, grouped] of cases) {
    it(name, () => expect([...groupedProjects(downs, above(limits))].sort()).toEqual(grouped));
  }
});
