import type { ReactNode } from 'react';
import { type Route, useRoute } from '../router';
import { useSession } from '../session';
import { Link } from './Link';
import { ProjectSwitcher } from './ProjectSwitcher';

/** The main sections, and the screens that belong to each (so the link says where you are). */
const SECTIONS: { to: string; label: string; screens: Route['screen'][] }[] = [
  { to: '/', label: 'Checks', screens: ['checks', 'check', 'new-check', 'edit-check'] },
  { to: '/channels', label: 'Channels', screens: ['channels'] },
  { to: '/maintenance', label: 'Maintenance', screens: ['maintenance'] },
  { to: '/settings', label: 'Settings', screens: ['settings'] },
];

/** Header with navigation, the project switcher and log out, around the current screen. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, logOut } = useSession();
  const route = useRoute();
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
          {SECTIONS.map(({ to, label, screens }) => (
            <Link key={to} to={to} aria-current={screens.includes(route.screen) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
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
        <button type="button" className="log-out" onClick={logOut}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        {/* Served by the server, outside the dashboard: a plain link, a full page load. */}
        <a href="/docs/">API and ping URL reference</a>
      </footer>
    </>
  );
}
