import { useCallback, useEffect, useMemo, useState } from 'react';

// Kept our own (not a router library): the tab routes on one hash segment, and these lines do only that.

/** The first segment of `#/segment`. */
export function readHashPath(hash: string = window.location.hash): string {
  return hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
}

/** The first segment of `#/segment`, kept in sync with the address bar. */
export function useHashPath(): [string, (path: string, replace?: boolean) => void] {
  const [path, setPath] = useState(() => readHashPath());

  useEffect(() => {
    const onChange = () => setPath(readHashPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);

  const navigate = useCallback((next: string, replace = false) => {
    const hash = `#/${next}`;
    if (replace) {
      // An address normalised from a stale read may have moved on since (a link opened meanwhile):
      // already on that page, it stays as it is, query and all.
      if (readHashPath() !== next) window.history.replaceState(window.history.state, '', hash);
    } else if (window.location.hash !== hash) {
      window.location.hash = hash;
    }
    setPath(next);
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
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const query = useMemo(() => readHashQuery(hash), [hash]);
  const go = useCallback((next: Record<string, string | null>, replace = false) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value !== null) params.set(key, value);
    const search = params.toString();
    const target = `#/${readHashPath()}${search ? `?${search}` : ''}`;
    if (target === window.location.hash) return;
    if (replace) {
      window.history.replaceState(window.history.state, '', target);
      // replaceState is silent; tell the other listeners of the address as the browser would.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      window.location.hash = target;
    }
    setHash(target);
  }, []);
  return [query, go];
}
