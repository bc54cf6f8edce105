/**
 * Check dependencies: a check may depend on other checks of its project
 * (its parents). While a parent is down, a dependent that goes down is
 * recorded with reason `dependency` and alerted with its parent's alert
 * instead of on its own. The graph must have no cycle: a cycle would let
 * two checks each wait for the other's alert. Pure.
 */
import { Status } from './status';

export const DEPENDENCY_LIMITS = {
  /** Checks one check may depend on. */
  parents: { max: 20 },
} as const;

/** `from` depends on `to`: `to` is a parent of `from`. */
export interface DependencyEdge {
  from: string;
  to: string;
}

/**
 * A cycle in the dependency graph, as check ids from a check back to itself
 * (`[a, b, c, a]`: a depends on b, b on c, c on a; `[a, a]` for a check that
 * depends on itself), or null when there is none. Deterministic: checks are
 * visited in the order they first appear in `edges`, parents in edge order.
 */
export function findCycle(edges: ReadonlyArray<DependencyEdge>): string[] | null {
  const parentsOf = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const parents = parentsOf.get(from);
    if (parents) parents.push(to);
    else parentsOf.set(from, [to]);
    if (!parentsOf.has(to)) parentsOf.set(to, []);
  }

  // Iterative depth-first search, so a long chain cannot overflow the stack.
  const done = new Set<string>();
  for (const start of parentsOf.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [start];
    const onPath = new Map<string, number>([[start, 0]]);
    const nextParent: number[] = [0];
    while (path.length > 0) {
      const depth = path.length - 1;
      const current = path[depth] as string;
      const parents = parentsOf.get(current) ?? [];
      const index = nextParent[depth] as number;
      if (index >= parents.length) {
        done.add(current);
        onPath.delete(current);
        path.pop();
        nextParent.pop();
        continue;
      }
      nextParent[depth] = index + 1;
      const parent = parents[index] as string;
      const seenAt = onPath.get(parent);
      if (seenAt !== undefined) return [...path.slice(seenAt), parent];
      if (done.has(parent)) continue;
      onPath.set(parent, path.length);
      path.push(parent);
      nextParent.push(0);
    }
  }
  return null;
}

/** The parents that are down now, in the order given, each once; unknown parents are not down. */
export function downParents(parents: readonly string[], statusOf: (id: string) => Status | undefined): string[] {
  return [...new Set(parents)].filter((id) => statusOf(id) === Status.down);
}
