import type { Status } from './types';

/** What the tab's icon says of a project: its worst status, or `none` while no check is up, late or down. */
export type FaviconState = 'up' | 'late' | 'down' | 'none';

/** Fill per state: green, amber, red, grey. */
export const FAVICON_COLOURS: Record<FaviconState, string> = {
  up: '#1b7f3b',
  late: '#d98e04',
  down: '#c0262d',
  none: '#80868b',
};

/** A white mark on the disc, so the icon reads without colour too: a tick, "!", a cross, a dash. */
const MARKS: Record<FaviconState, string> = {
  up: '<path d="M9 16.5l4.5 4.5L23 11" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>',
  late: '<path d="M16 8v10" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/><circle cx="16" cy="23.5" r="2.2" fill="#fff"/>',
  down: '<path d="M10.5 10.5l11 11M21.5 10.5l-11 11" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>',
  none: '<path d="M10 16h12" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/>',
};

/**
 * The worst of the statuses: down before late before up. New and paused
 * checks say nothing about health, so a project of only those (or of no
 * check) is `none`, grey, rather than a green that claims all is well.
 */
export function worstStatus(statuses: Iterable<Status>): FaviconState {
  let worst: FaviconState = 'none';
  for (const status of statuses) {
    if (status === 'down') return 'down';
    if (status === 'late') worst = 'late';
    else if (status === 'up' && worst === 'none') worst = 'up';
  }
  return worst;
}

/** The icon as an SVG data URL, drawn here so it needs no file and no request. */
export function faviconHref(state: FaviconState): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${FAVICON_COLOURS[state]}"/>${MARKS[state]}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Points the page's `link[rel=icon]` (added when missing) at the icon for `state`. */
export function showFavicon(state: FaviconState): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    link.type = 'image/svg+xml';
    document.head.append(link);
  }
  const href = faviconHref(state);
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
}
