import { useId } from 'react';
import { projectLabels } from '../project-labels';
import { useSession } from '../session';

/** Chooses which project the dashboard shows; just its name when there is only one. Projects of one name are told apart. */
export function ProjectSwitcher() {
  const { session, project, switchProject } = useSession();
  const id = useId();
  if (session.projects.length < 2) return <span className="project-name">{project.name}</span>;
  const labels = projectLabels(session.projects);
  return (
    <div className="project-switcher">
      {/* Labelled by id: a select nested in its label would add the chosen project to the label's name. */}
      <label htmlFor={id} className="visually-hidden">
        Project
      </label>
      <select id={id} value={project.id} onChange={(event) => switchProject(event.target.value)}>
        {session.projects.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {labels.get(candidate.id)}
          </option>
        ))}
      </select>
    </div>
  );
}
