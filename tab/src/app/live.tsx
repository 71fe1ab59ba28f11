import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventSource } from 'eventsource';
import { useApi } from './ApiContext';

/** Where a live stream stands: `live` once the server said hello; `offline` while it cannot connect (pages poll then). */
export type LiveState = 'connecting' | 'live' | 'offline';

type Handlers = Record<string, (data: unknown) => void>;

/** After a refused stream (expired token, an instance stopping, too many windows), try again after these waits. */
const RETRY_MS = [2_000, 5_000, 15_000, 30_000, 60_000];

/**
 * Follows an event stream while mounted. Network drops are retried by the EventSource itself
 * (sending Last-Event-ID); a refused connection is retried here, with a fresh token. Handlers may
 * change between renders without reconnecting.
 */
export function useEventStream(open: (() => EventSource) | null, handlers: Handlers): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;
  const types = Object.keys(handlers).sort().join(',');

  useEffect(() => {
    if (!open) return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let failures = 0;
    let stopped = false;
    const connect = () => {
      setState((s) => (s === 'live' ? 'connecting' : s));
      const es = open();
      source = es;
      es.addEventListener('hello', () => {
        failures = 0;
        setState('live');
        latest.current.hello?.(null);
      });
      for (const type of types.split(',').filter((t) => t && t !== 'hello')) {
        es.addEventListener(type, (event) => {
          let data: unknown = null;
          try {
            data = JSON.parse(event.data);
          } catch {
            return;
          }
          latest.current[type]?.(data);
        });
      }
      es.onerror = () => {
        if (stopped) return;
        if (es.readyState === es.CLOSED) {
          setState('offline');
          timer = window.setTimeout(connect, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
        } else {
          setState('connecting');
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      source?.close();
    };
  }, [open, types]);

  return state;
}

interface UserLive {
  state: LiveState;
  /** Listens to one kind of the signed-in person's own events (`enrolment`, `notice`, `queues` for ops, `hello` after every (re)connection). */
  on(type: string, fn: (data: unknown) => void): () => void;
}

const LiveContext = createContext<UserLive>({ state: 'offline', on: () => () => undefined });

/** One stream per tab for the person's own events, shared by whatever shows them (the inbox badge, enrolment cards). */
export function UserLiveProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const listeners = useRef(new Map<string, Set<(data: unknown) => void>>());
  const emit = (type: string) => (data: unknown) => listeners.current.get(type)?.forEach((fn) => fn(data));
  const [open] = useState(() => () => api.openStream());
  const state = useEventStream(open, { hello: emit('hello'), enrolment: emit('enrolment'), notice: emit('notice'), queues: emit('queues') });
  const [value] = useState<Omit<UserLive, 'state'>>(() => ({
    on(type, fn) {
      if (!listeners.current.has(type)) listeners.current.set(type, new Set());
      listeners.current.get(type)!.add(fn);
      return () => listeners.current.get(type)?.delete(fn);
    },
  }));
  return <LiveContext.Provider value={{ state, on: value.on }}>{children}</LiveContext.Provider>;
}

/** The person's own live events; polling stays the fallback while `state` is not `live`. */
export function useUserLive(): UserLive {
  return useContext(LiveContext);
}
