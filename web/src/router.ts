/**
 * Hash routing (`/#/checks/:id`): any static server can serve the page, and a shared link needs
 * nothing from the server but `index.html`.
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly view: 'check'; readonly id: string | null }
  | { readonly view: 'history' }
  | { readonly view: 'audit'; readonly id: string | null }
  | { readonly view: 'batch'; readonly id: string | null }
  | { readonly view: 'monitors'; readonly id: string | null }
  | { readonly view: 'generate' }
  | { readonly view: 'import' }
  | { readonly view: 'explain' }
  | { readonly view: 'access' }
  | { readonly view: 'not-found'; readonly path: string };

export type View = Route['view'];

/** Collection path segment per view that has stored records. */
const COLLECTIONS = {
  check: 'checks',
  audit: 'audits',
  batch: 'batches',
  monitors: 'monitors',
} as const;

type CollectionView = keyof typeof COLLECTIONS;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  const [first = '', second, ...rest] = path.replace(/^\//, '').split('/');
  if (rest.length > 0) return { view: 'not-found', path };
  const id = second === undefined || second === '' ? null : decodeSegment(second);
  if (first === '') return { view: 'check', id: null };
  if (first === 'history' && id === null) return { view: 'history' };
  // Tools that run in the page: nothing stored, so no record path.
  if (first === 'generate' && id === null) return { view: 'generate' };
  if (first === 'import' && id === null) return { view: 'import' };
  if (first === 'explain' && id === null) return { view: 'explain' };
  if (first === 'access' && id === null) return { view: 'access' };
  for (const [view, collection] of Object.entries(COLLECTIONS) as [CollectionView, string][]) {
    if (first === collection || (first === view && id === null)) return { view, id };
  }
  return { view: 'not-found', path };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The link to a stored record, e.g. `#/checks/abc`. */
export function recordHref(view: CollectionView, id: string): string {
  return `#/${COLLECTIONS[view]}/${encodeURIComponent(id)}`;
}

export function viewHref(view: Exclude<View, 'not-found'>): string {
  switch (view) {
    case 'check':
      return '#/';
    case 'history':
      return '#/history';
    case 'generate':
      return '#/generate';
    case 'import':
      return '#/import';
    case 'explain':
      return '#/explain';
    case 'access':
      return '#/access';
    default:
      return `#/${COLLECTIONS[view]}`;
  }
}

/** The absolute, shareable address of a hash link. */
export function absoluteHref(href: string): string {
  return new URL(href, window.location.href).href;
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

/** Whether a hash is a route (`#/...`) rather than an in-page anchor such as the skip link's `#main`. */
export function isRouteHash(hash: string): boolean {
  return hash === '' || hash === '#' || hash.startsWith('#/');
}

/** The current route, following `hashchange`; in-page anchors leave it as it is. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() =>
    parseRoute(isRouteHash(window.location.hash) ? window.location.hash : ''),
  );
  useEffect(() => {
    const update = () => {
      if (isRouteHash(window.location.hash)) setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
