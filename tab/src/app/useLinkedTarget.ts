import { useEffect, useRef } from 'react';
import { useHashQuery } from './useHashPath';

/**
 * A ref for the heading of the thing the address names (`?programme=<id>` from a notification or
 * a shared link): once it is on screen it is scrolled to and focused, so the link lands there.
 */
export function useLinkedTarget<T extends HTMLElement>(param: string, id: string) {
  const [query] = useHashQuery();
  const ref = useRef<T | null>(null);
  const named = query.get(param) === id;
  useEffect(() => {
    if (!named || !ref.current) return;
    ref.current.scrollIntoView({ block: 'start' });
    ref.current.focus({ preventScroll: true });
  }, [named]);
  return { ref, tabIndex: named ? (-1 as const) : undefined };
}
