import { findCycle } from '@cronbeat/core';
import { checkNamesOf, type Db, dependencyEdgesOf, foreignCheckIds, isForeignKeyViolation, setParents } from '@cronbeat/db';
import { FieldError } from '../../../errors';

/** `cycle` ([a, b, c, a]) starting and ending at `checkId`, so the message begins with the check being written. */
function fromCheck(cycle: string[], checkId: string): string[] {
  const at = cycle.indexOf(checkId);
  if (at <= 0) return cycle;
  const ring = cycle.slice(0, -1);
  return [...ring.slice(at), ...ring.slice(0, at), checkId];
}

/**
 * Replaces the parents of check `checkId` of `projectId` with `dependsOn`,
 * in the transaction that writes the check, so a refusal stores nothing.
 * Each parent must be a check of the project, and the project's
 * dependencies with these must have no cycle (core's `findCycle` over the
 * project's other edges and the new ones); the 400 names the cycle by the
 * checks' names. The transaction must hold `lockDependencies`, taken before
 * it locked or created the check, and the check must be of `projectId`.
 */
export async function writeParents(tx: Db, projectId: string, checkId: string, dependsOn: readonly string[]): Promise<void> {
  const parents = [...new Set(dependsOn)];
  const [foreign] = await foreignCheckIds(tx, projectId, parents);
  if (foreign !== undefined) throw new FieldError('dependsOn', `no check ${foreign} in this project`);
  const otherEdges = (await dependencyEdgesOf(tx, projectId)).filter((edge) => edge.from !== checkId);
  const cycle = findCycle([...otherEdges, ...parents.map((to) => ({ from: checkId, to }))]);
  if (cycle) {
    const names = await checkNamesOf(tx, projectId, cycle);
    const named = fromCheck(cycle, checkId).map((id) => names.get(id) ?? id);
    throw new FieldError('dependsOn', `makes a cycle: ${named.join(' → ')}`);
  }
  try {
    await setParents(tx, checkId, parents);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new FieldError('dependsOn', 'a check it names was deleted meanwhile');
    throw error;
  }
}
