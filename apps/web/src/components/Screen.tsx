import { lazy, Suspense } from 'react';
import type { Route } from '../router';
import { ChecksPage } from './ChecksPage';
import { Link } from './Link';

// The checks list is the first screen of nearly every visit and comes with the main bundle; every other
// screen is a chunk of its own, fetched when first opened, so a cold first visit downloads and compiles
// only what the list needs.
const AccountPage = lazy(() => import('./AccountPage').then((module) => ({ default: module.AccountPage })));
const ChannelsPage = lazy(() => import('./ChannelsPage').then((module) => ({ default: module.ChannelsPage })));
const CheckEditor = lazy(() => import('./CheckEditor').then((module) => ({ default: module.CheckEditor })));
const CheckPage = lazy(() => import('./CheckPage').then((module) => ({ default: module.CheckPage })));
const IncidentPage = lazy(() => import('./IncidentPage').then((module) => ({ default: module.IncidentPage })));
const MaintenancePage = lazy(() => import('./MaintenancePage').then((module) => ({ default: module.MaintenancePage })));
const NewProjectPage = lazy(() => import('./NewProjectPage').then((module) => ({ default: module.NewProjectPage })));
const SettingsPage = lazy(() => import('./SettingsPage').then((module) => ({ default: module.SettingsPage })));

/** The signed-in screen for a route. */
export function Screen({ route }: { route: Route }) {
  return (
    <Suspense fallback={<p className="page-message">Loading…</p>}>
      <RouteScreen route={route} />
    </Suspense>
  );
}

function RouteScreen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'checks':
    case 'login':
    case 'signup':
      return <ChecksPage />;
    case 'new-check':
      return <CheckEditor />;
    case 'edit-check':
      return <CheckEditor id={route.id} />;
    case 'check':
      return <CheckPage id={route.id} />;
    case 'incident':
      return <IncidentPage checkId={route.id} flipId={route.flipId} />;
    case 'channels':
      return <ChannelsPage />;
    case 'maintenance':
      return <MaintenancePage />;
    case 'settings':
      return <SettingsPage />;
    case 'account':
      return <AccountPage />;
    case 'new-project':
      return <NewProjectPage />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is nothing here. <Link to="/">Back to the checks</Link>
          </p>
        </section>
      );
  }
}
