import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { EventSource } from 'eventsource';
import { keys } from '../api/queries';
import { useApi } from './ApiContext';

/** Where a live stream stands: `live` once the server said hello; `offline` while it cannot connect (queries poll then). */
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

/**
 * What each of the person's own events may have changed: the queries to fetch again (those on
 * screen at once, the others when next shown). `hello` follows every (re)connection, after which
 * any event may have been missed.
 */
const INVALIDATES: Record<string, (data: unknown) => QueryKey[]> = {
  // An enrolment was decided: its status, the programme's seats, the approvals waiting on it.
  enrolment: (data) => {
    const id = (data as { enrolmentId?: unknown } | null)?.enrolmentId;
    return [typeof id === 'string' ? keys.enrolments.one(id) : keys.enrolments.all, keys.programmes.mine(), keys.approvals];
  },
  // A notice was delivered: the inbox, and what notices announce (feedback requests, approvals to give).
  notice: () => [keys.notifications, keys.feedback, keys.approvals],
  queues: () => [keys.ops.all],
};
const EVENT_TYPES = Object.keys(INVALIDATES);

const LiveContext = createContext<LiveState>('offline');

/** One stream per tab for the person's own events; each event invalidates the queries it concerns. */
export function UserLiveProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [open] = useState(() => () => api.openStream());
  const [handlers] = useState(() => {
    const invalidate = (queryKeys: QueryKey[]) => {
      for (const queryKey of queryKeys) void queryClient.invalidateQueries({ queryKey });
    };
    const on: Handlers = { hello: () => invalidate(EVENT_TYPES.flatMap((type) => INVALIDATES[type]!(null))) };
    for (const type of EVENT_TYPES) on[type] = (data) => invalidate(INVALIDATES[type]!(data));
    return on;
  });
  const state = useEventStream(open, handlers);
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

/**
 * A query's `refetchInterval` for data that the person's stream keeps fresh: no polling while the
 * stream is live, every `ms` while it connects or cannot.
 */
export function useLivePoll(ms: number): number | false {
  return useContext(LiveContext) === 'live' ? false : ms;
}

/** Whether the person's live stream is connected (pages say how they update). */
export function useLiveState(): LiveState {
  return useContext(LiveContext);
}
