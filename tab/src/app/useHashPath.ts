import { useCallback, useEffect, useState } from 'react';

function readPath(): string {
  return window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
}

/** The first segment of `#/segment`, kept in sync with the address bar. */
export function useHashPath(): [string, (path: string, replace?: boolean) => void] {
  const [path, setPath] = useState(readPath);

  useEffect(() => {
    const onChange = () => setPath(readPath());
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
