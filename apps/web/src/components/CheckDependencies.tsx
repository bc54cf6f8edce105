import type { Check } from '../types';
import { Link } from './Link';
import { StatusIcon } from './StatusIcon';

/**
 * The checks this one depends on and those that depend on it, each with its
 * status: while a parent is down, a dependent going down is listed in the
 * parent's alert instead of alerting on its own.
 */
export function CheckDependencies({ check, checks }: { check: Check; checks: Check[] | undefined }) {
  if (!checks) return null;
  const byId = new Map(checks.map((candidate) => [candidate.id, candidate]));
  const parents = check.dependsOn.map((id) => byId.get(id)).filter((parent): parent is Check => parent !== undefined);
  const dependents = checks.filter((candidate) => candidate.dependsOn.includes(check.id));
  if (parents.length === 0 && dependents.length === 0) return null;
  return (
    <section aria-labelledby="dependencies-title">
      <h2 id="dependencies-title">Dependencies</h2>
      {parents.length > 0 && <DependencyList title="Depends on" checks={parents} />}
      {dependents.length > 0 && <DependencyList title="Depended on by" checks={dependents} />}
    </section>
  );
}

function DependencyList({ title, checks }: { title: string; checks: Check[] }) {
  const id = `dependencies-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <>
      <h3 id={id}>{title}</h3>
      <ul className="dependencies" aria-labelledby={id}>
        {checks.map((check) => (
          <li key={check.id} className="dependency">
            <Link to={`/checks/${check.id}`}>{check.name || check.slug || 'unnamed'}</Link>{' '}
            <StatusIcon status={check.status} running={check.running} />
          </li>
        ))}
      </ul>
    </>
  );
}
