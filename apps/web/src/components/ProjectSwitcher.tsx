import { useSession } from '../session';

/** Chooses which project the dashboard shows; hidden when there is only one. */
export function ProjectSwitcher() {
  const { session, project, switchProject } = useSession();
  if (session.projects.length < 2) return <span className="project-name">{project.name}</span>;
  return (
    <label className="project-switcher">
      <span className="visually-hidden">Project</span>
      <select value={project.id} onChange={(event) => switchProject(event.target.value)}>
        {session.projects.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {candidate.name}
          </option>
        ))}
      </select>
    </label>
  );
}
