import { useEffect, useState } from 'react';

/** `value` once it has stayed the same for `ms` (a pause in typing), for reads that should not follow every key. */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
