import { useId } from 'react';
import { useSession } from '../session';

/** Chooses which project the dashboard shows; just its name when there is only one. */
export function ProjectSwitcher() {
  const { session, project, switchProject } = useSession();
  const id = useId();
  if (session.projects.length < 2) return <span className="project-name">{project.name}</span>;
  return (
    <div className="project-switcher">
      {/* Labelled by id: a select nested in its label would add the chosen project to the label's name. */}
      <label htmlFor={id} className="visually-hidden">
        Project
      </label>
      <select id={id} value={project.id} onChange={(event) => switchProject(event.target.value)}>
        {session.projects.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {candidate.name}
          </option>
        ))}
      </select>
    </div>
  );
}
