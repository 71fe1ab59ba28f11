import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { pageOfAddress } from './address';

// Kept our own (not a router library): the tab routes on one hash segment, and these lines do only that.

/** The first segment of `#/segment`. */
export function readHashPath(hash: string = window.location.hash): string {
  return pageOfAddress(hash);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
const currentHash = () => window.location.hash;

/**
 * The address's hash, kept in sync with the address bar. An external store rather than state set
 * by a listener: a link followed between a page's first render and its subscribing is not missed.
 */
export function useHash(): string {
  return useSyncExternalStore(subscribe, currentHash);
}

/** Writes the address in place: replaceState is silent, so tell the address's readers as the browser would. */
function replaceHash(hash: string): void {
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The first segment of `#/segment`, kept in sync with the address bar. */
export function useHashPath(): [string, (path: string, replace?: boolean) => void] {
  const path = readHashPath(useHash());
  const navigate = useCallback((next: string, replace = false) => {
    const hash = `#/${next}`;
    if (replace) {
      // An address normalised from a stale read may have moved on since (a link opened meanwhile):
      // already on that page, it stays as it is, query and all.
      if (readHashPath() !== next) replaceHash(hash);
    } else if (window.location.hash !== hash) {
      window.location.hash = hash;
    }
  }, []);
  return [path, navigate];
}

/** The query of `#/segment?a=1&b=2`. */
export function readHashQuery(hash: string = window.location.hash): URLSearchParams {
  return new URLSearchParams(hash.split('?')[1] ?? '');
}

/**
 * The query of the address (`#/owner?programme=…`), kept in sync with it, so that every view a
 * page shows has an address: Back returns to the view before, and links land on the view.
 * `go` writes a new query on the same page (a history entry, or in place with `replace`).
 */
export function useHashQuery(): [URLSearchParams, (next: Record<string, string | null>, replace?: boolean) => void] {
  const hash = useHash();
  const query = useMemo(() => readHashQuery(hash), [hash]);
  const go = useCallback((next: Record<string, string | null>, replace = false) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value !== null) params.set(key, value);
    const search = params.toString();
    const target = `#/${readHashPath()}${search ? `?${search}` : ''}`;
    if (target === window.location.hash) return;
    if (replace) replaceHash(target);
    else window.location.hash = target;
  }, []);
  return [query, go];
}
