import type { Project } from './types';

/**
 * What the switcher calls each project: its name, and where two share a name,
 * the role you hold in each ("Ops · owner", "Ops · readonly"); where that is the
 * same too, the start of its id, which the URL and the API show as well.
 */
export function projectLabels(projects: readonly Project[]): Map<string, string> {
  const count = (key: (project: Project) => string) => {
    const counts = new Map<string, number>();
    for (const project of projects) counts.set(key(project), (counts.get(key(project)) ?? 0) + 1);
    return (project: Project) => counts.get(key(project)) ?? 0;
  };
  const byName = count((project) => project.name);
  const byNameAndRole = count((project) => `${project.name}\u0000${project.role}`);
  return new Map(
    projects.map((project) => {
      if (byName(project) < 2) return [project.id, project.name];
      if (byNameAndRole(project) < 2) return [project.id, `${project.name} · ${project.role}`];
      return [project.id, `${project.name} · ${project.role} · ${project.id.slice(0, 8)}`];
    }),
  );
}
