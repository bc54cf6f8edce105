import { useSession } from '../session';
import { Link } from './Link';

/** What a newcomer sees before the first check: what a check is and how to make one. */
export function EmptyState() {
  const { canWrite } = useSession();
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No checks yet</h2>
      <p>
        A check watches one job. Give it the job's schedule, add its ping URL to the end of the job, and Cronbeat alerts you when a run
        fails or never happens.
      </p>
      {canWrite ? (
        <Link to="/checks/new" className="button primary">
          Create your first check
        </Link>
      ) : (
        <p className="muted">Ask a project admin to create one: your role can only look.</p>
      )}
    </section>
  );
}
