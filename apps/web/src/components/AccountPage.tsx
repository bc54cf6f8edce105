import { useSession } from '../session';
import { PasswordForm } from './PasswordForm';
import { ReportForm } from './ReportForm';
import { TimeZoneForm } from './TimeZoneForm';

/** The signed-in person: who they are, their projects, their time zone, their reports, their password. */
export function AccountPage() {
  const { session, logOut } = useSession();
  return (
    <section>
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{session.user.email}</dd>
        <dt>Projects</dt>
        <dd>
          <ul className="plain">
            {session.projects.map((project) => (
              <li key={project.id}>
                {project.name} <span className="muted">({project.role})</span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <TimeZoneForm />
      <ReportForm />
      <PasswordForm />
      <h2>Sign out</h2>
      <button type="button" onClick={logOut}>
        Log out of this browser
      </button>
    </section>
  );
}
