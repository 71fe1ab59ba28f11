import { useCallback, useEffect, useState } from 'react';

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
      window.history.replaceState(window.history.state, '', hash);
    } else if (window.location.hash !== hash) {
      window.location.hash = hash;
    }
    setPath(next);
  }, []);

  return [path, navigate];
}
