import { useEffect, useState } from 'react';

/** The dashboard's screens, parsed from the path. */
export type Route =
  | { screen: 'login' }
  | { screen: 'signup' }
  | { screen: 'checks' }
  | { screen: 'new-check' }
  | { screen: 'check'; id: string }
  | { screen: 'edit-check'; id: string }
  | { screen: 'incident'; id: string; flipId: number }
  | { screen: 'channels' }
  | { screen: 'maintenance' }
  | { screen: 'settings' }
  | { screen: 'account' }
  | { screen: 'new-project' }
  | { screen: 'join'; token: string }
  | { screen: 'not-found' };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { screen: 'checks' };
  if (first === 'login' && parts.length === 1) return { screen: 'login' };
  if (first === 'signup' && parts.length === 1) return { screen: 'signup' };
  if (first === 'channels' && parts.length === 1) return { screen: 'channels' };
  if (first === 'maintenance' && parts.length === 1) return { screen: 'maintenance' };
  if (first === 'settings' && parts.length === 1) return { screen: 'settings' };
  if (first === 'account' && parts.length === 1) return { screen: 'account' };
  if (first === 'projects' && second === 'new' && parts.length === 2) return { screen: 'new-project' };
  if (first === 'join' && second && parts.length === 2) return { screen: 'join', token: second };
  if (first === 'checks') {
    if (second === 'new' && parts.length === 2) return { screen: 'new-check' };
    if (second && parts.length === 2) return { screen: 'check', id: second };
    if (second && third === 'edit' && parts.length === 3) return { screen: 'edit-check', id: second };
    if (second && third === 'incidents' && fourth && /^[1-9]\d{0,15}$/.test(fourth) && parts.length === 4) {
      return { screen: 'incident', id: second, flipId: Number(fourth) };
    }
  }
  return { screen: 'not-found' };
}

const NAVIGATE = 'cronbeat:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}) {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE, update);
    };
  }, []);
  return route;
}
