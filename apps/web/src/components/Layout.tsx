import type { ReactNode } from 'react';
import { useSession } from '../session';
import { Link } from './Link';
import { ProjectSwitcher } from './ProjectSwitcher';

/** Header with navigation, the project switcher and log out, around the current screen. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, logOut } = useSession();
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
        <ProjectSwitcher />
        <span className="who" title={session.user.email}>
          {session.user.email}
        </span>
        <button type="button" onClick={logOut}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
