import type { Route } from '../router';
import { AccountPage } from './AccountPage';
import { ChannelsPage } from './ChannelsPage';
import { CheckEditor } from './CheckEditor';
import { CheckPage } from './CheckPage';
import { ChecksPage } from './ChecksPage';
import { IncidentPage } from './IncidentPage';
import { Link } from './Link';
import { MaintenancePage } from './MaintenancePage';
import { NewProjectPage } from './NewProjectPage';
import { SettingsPage } from './SettingsPage';

/** The signed-in screen for a route. */
export function Screen({ route }: { route: Route }) {
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
