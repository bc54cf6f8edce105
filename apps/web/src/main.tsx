import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { askEarlyForOverview } from './api';
import { FIRST_QUERY, overviewSearch } from './checks-list';
import { App } from './components/App';
import { showFavicon } from './favicon';
import { rememberedProject } from './session';
import './styles.css';
import { PAGE_SIZE } from './useLiveChecks';

// Grey until the checks list knows the project's worst status.
showFavicon('none');

// Opening on the checks list of a project this browser has shown before: ask for its first page now, beside
// the session, rather than after it (the list asks with no filters and in created order first).
const remembered = rememberedProject();
if (remembered && window.location.pathname === '/')
  askEarlyForOverview(remembered, overviewSearch(FIRST_QUERY, [['limit', String(PAGE_SIZE)]]));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
