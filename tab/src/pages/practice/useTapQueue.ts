import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, type ApiClient } from '../../api/client';
import type { TapBody } from '../../api/types';

const storageKey = (roomId: string) => `coaching-pilots.practice-taps.${roomId}`;
/** Waits between attempts while the API cannot be reached. */
const RETRY_MS = [2_000, 5_000, 10_000, 20_000];

function readQueue(roomId: string): TapBody[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(storageKey(roomId)) ?? '[]');
    return Array.isArray(stored) ? (stored as TapBody[]) : [];
  } catch {
    return [];
  }
}

function writeQueue(roomId: string, queue: readonly TapBody[]): void {
  try {
    if (queue.length === 0) window.localStorage.removeItem(storageKey(roomId));
    else window.localStorage.setItem(storageKey(roomId), JSON.stringify(queue));
  } catch {
    // Storage full or blocked: the taps stay queued in memory for as long as the page is open.
  }
}

/** Worth sending again later: no answer, a server fault, a rate limit. Anything else was refused for good. */
function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
}

export interface TapQueue {
  /** Taps not yet accepted by the API, oldest first. */
  pending: readonly TapBody[];
  /** The last attempt could not reach the API: the pending taps wait for the connection. */
  stalled: boolean;
  add: (tap: TapBody) => void;
  /** Sends what is waiting, in order; call when the connection is back. */
  flush: () => void;
}

/**
 * The observer's taps on their way to the API: sent one at a time in the order they were made
 * (an undo must arrive after the tap it takes back), kept in localStorage per room until the API
 * accepts them, so a dropped network or a closed tab loses nothing. The API recognises a resent
 * tap by its id. A tap the API refuses (the next round has started, say) is dropped and reported.
 */
export function useTapQueue(api: ApiClient, roomId: string, onRefused: (tap: TapBody, reason: string) => void): TapQueue {
  const [pending, setPending] = useState<readonly TapBody[]>(() => readQueue(roomId));
  const [stalled, setStalled] = useState(false);
  const queue = useRef(pending);
  const sending = useRef(false);
  const failures = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const mounted = useRef(true);
  const refused = useRef(onRefused);
  refused.current = onRefused;

  const save = useCallback(
    (next: readonly TapBody[]) => {
      queue.current = next;
      writeQueue(roomId, next);
      setPending(next);
    },
    [roomId],
  );

  const flush = useCallback(async () => {
    if (sending.current || !mounted.current) return;
    sending.current = true;
    window.clearTimeout(timer.current);
    try {
      while (mounted.current && queue.current.length > 0) {
        const tap = queue.current[0]!;
        try {
          await api.sendTap(roomId, tap);
        } catch (error) {
          if (retryable(error)) {
            setStalled(true);
            timer.current = window.setTimeout(() => void flush(), RETRY_MS[Math.min(failures.current++, RETRY_MS.length - 1)]);
            return;
          }
          refused.current(tap, errorMessage(error));
        }
        failures.current = 0;
        setStalled(false);
        // By id: taps added while this one was on its way stay behind it.
        save(queue.current.filter((t) => t.id !== tap.id));
      }
    } finally {
      sending.current = false;
    }
  }, [api, roomId, save]);

  const add = useCallback(
    (tap: TapBody) => {
      save([...queue.current, tap]);
      void flush();
    },
    [flush, save],
  );

  useEffect(() => {
    mounted.current = true;
    const onOnline = () => {
      failures.current = 0;
      void flush();
    };
    window.addEventListener('online', onOnline);
    // Taps kept from an earlier visit go first.
    void flush();
    return () => {
      mounted.current = false;
      window.removeEventListener('online', onOnline);
      window.clearTimeout(timer.current);
    };
  }, [flush]);

  return { pending, stalled, add, flush: useCallback(() => void flush(), [flush]) };
}
