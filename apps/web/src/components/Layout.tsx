import type { ReactNode } from 'react';
import { useSession } from '../session';
import { InvitationsBanner } from './InvitationsBanner';
import { Link } from './Link';
import { ProjectSwitcher } from './ProjectSwitcher';

/** Header with navigation, the project switcher and log out, around the current screen. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, logOut, refreshSession, switchProject } = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Cronbeat
        </Link>
        <nav aria-label="Main">
          <Link to="/">Checks</Link>
          <Link to="/channels">Channels</Link>
          <Link to="/settings">Settings</Link>
        </nav>
        <div className="project-bar">
          <ProjectSwitcher />
          <Link to="/projects/new" className="new-project">
            New project
          </Link>
        </div>
        <Link to="/account" className="who" title={`Your account: ${session.user.email}`}>
          <span className="who-email">{session.user.email}</span>
          <span className="who-short">Account</span>
        </Link>
        <button type="button" onClick={logOut}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <InvitationsBanner
          userId={session.user.id}
          onAccepted={async (projectId) => {
            await refreshSession();
            switchProject(projectId);
          }}
        />
        {children}
      </main>
    </>
  );
}
