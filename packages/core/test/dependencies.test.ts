import { describe, expect, it } from 'vitest';
import { type DependencyEdge, downParents, findCycle, type Status } from '../src';

/** `'a>b b>c'`: a depends on b, b depends on c. */
const edges = (text: string): DependencyEdge[] =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const [from, to] = pair.split('>') as [string, string];
      return { from, to };
    });

const chain = (length: number): DependencyEdge[] => Array.from({ length: length - 1 }, (_, i) => ({ from: `c${i}`, to: `c${i + 1}` }));

describe('findCycle', () => {
  it.each([
    { name: 'no edges', graph: '' },
    { name: 'one edge', graph: 'a>b' },
    { name: 'a chain', graph: 'a>b b>c c>d' },
    { name: 'a diamond', graph: 'a>b a>c b>d c>d' },
    { name: 'two diamonds sharing a bottom', graph: 'a>b a>c b>d c>d e>f e>g f>d g>d' },
    { name: 'a check with many parents that share parents', graph: 'a>b a>c a>d b>c b>d c>d' },
    { name: 'the same edge twice', graph: 'a>b a>b' },
    { name: 'two separate trees', graph: 'a>b a>c x>y x>z' },
  ])('finds no cycle in $name', ({ graph }) => {
    expect(findCycle(edges(graph))).toBeNull();
  });

  it.each([
    { name: 'a check that depends on itself', graph: 'a>a', cycle: ['a', 'a'] },
    { name: 'two checks that depend on each other', graph: 'a>b b>a', cycle: ['a', 'b', 'a'] },
    { name: 'three checks in a ring', graph: 'a>b b>c c>a', cycle: ['a', 'b', 'c', 'a'] },
    { name: 'a ring below a chain', graph: 'x>a a>b b>c c>b', cycle: ['b', 'c', 'b'] },
    { name: 'a ring behind a diamond', graph: 'a>b a>c b>d c>d d>a', cycle: ['a', 'b', 'd', 'a'] },
    { name: 'a self-loop beside a clean tree', graph: 'a>b a>c c>c', cycle: ['c', 'c'] },
  ])('finds $name', ({ graph, cycle }) => {
    expect(findCycle(edges(graph))).toEqual(cycle);
  });

  it('returns a cycle whose every step is an edge, starting and ending at the same check', () => {
    const graph = edges('p>q q>r r>s s>t t>q u>p');
    const cycle = findCycle(graph) ?? [];
    expect(cycle).toEqual(['q', 'r', 's', 't', 'q']);
    for (let i = 0; i + 1 < cycle.length; i++) {
      expect(graph).toContainEqual({ from: cycle[i], to: cycle[i + 1] });
    }
  });

  it('walks a chain of 10,000 checks without a cycle', () => {
    expect(findCycle(chain(10_000))).toBeNull();
  });

  it('finds the cycle a chain of 10,000 checks makes when its last check depends on its first', () => {
    const cycle = findCycle([...chain(10_000), { from: 'c9999', to: 'c0' }]);
    expect(cycle).toHaveLength(10_001);
    expect(cycle?.[0]).toBe('c0');
    expect(cycle?.at(-2)).toBe('c9999');
    expect(cycle?.at(-1)).toBe('c0');
  });

  it('finds a cycle that only the new edges close', () => {
    // backup depends on upload and upload on verify: clean. Then verify is set to depend on backup.
    const stored = edges('backup>upload upload>verify report>backup');
    expect(findCycle(stored)).toBeNull();
    const proposed = edges('verify>backup');
    expect(findCycle([...stored, ...proposed])).toEqual(['backup', 'upload', 'verify', 'backup']);
  });

  it('finds no cycle when the new edges replace the ones that closed it', () => {
    // What a check's edit does: its old parents go, its new ones come.
    const stored = edges('a>b b>c');
    const withoutC = stored.filter((edge) => edge.from !== 'c');
    expect(findCycle([...withoutC, ...edges('c>d')])).toBeNull();
    expect(findCycle([...withoutC, ...edges('c>a')])).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('downParents', () => {
  const statuses: Record<string, Status> = { db: 'down', disk: 'up', net: 'down', dns: 'late', api: 'paused', new: 'new' };
  const statusOf = (id: string): Status | undefined => statuses[id];

  it.each([
    { parents: [], down: [] },
    { parents: ['disk'], down: [] },
    { parents: ['db'], down: ['db'] },
    { parents: ['net', 'disk', 'db'], down: ['net', 'db'] },
    { parents: ['dns', 'api', 'new'], down: [] },
    { parents: ['gone', 'db'], down: ['db'] },
    { parents: ['db', 'db'], down: ['db'] },
  ])('of $parents, $down are down', ({ parents, down }) => {
    expect(downParents(parents, statusOf)).toEqual(down);
  });
});
