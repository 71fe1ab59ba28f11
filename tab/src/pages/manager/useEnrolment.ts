import { useCallback, useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { keys, queries } from '../../api/queries';
import type { Enrolment, MyEnrolment, Programme, ScheduledSession } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useLivePoll } from '../../app/live';
import { isTransient } from '../../app/queryClient';
import { statusAnnouncement, type EnrolmentState } from './status';

/**
 * Without the live channel, a pending request is polled every half second for the first ten
 * seconds, then less often up to this ceiling. A decision usually lands about half a second after
 * the request (the allocator's settle pause plus the write), so a one-second first poll added most
 * of a second to "click to confirmed" (bench). With the channel, the decision is pushed.
 */
const FAST_POLLS = 20;
const POLL_MS = 500;
const MAX_POLL_MS = 10_000;
/** After this long without a decision, tell the user they need not wait. */
const SLOW_AFTER_MS = 20_000;

function pollDelay(attempt: number): number {
  if (attempt < FAST_POLLS) return POLL_MS;
  return Math.min(POLL_MS * 1.5 ** (attempt - FAST_POLLS + 1), MAX_POLL_MS);
}

function toState(enrolment: Enrolment | MyEnrolment): EnrolmentState {
  return {
    id: enrolment.id,
    status: enrolment.status,
    cohortId: enrolment.cohortId,
    waitlistPosition: enrolment.waitlistPosition,
  };
}

export interface EnrolmentModel {
  state: EnrolmentState | null;
  /** Sessions of a confirmed enrolment; null while unknown. */
  sessions: ScheduledSession[] | null;
  scheduleError: string | null;
  reloadSchedule: () => void;
  /** True once a pending request has taken longer than usual. */
  slow: boolean;
  pollError: string | null;
  busy: 'enrol' | 'withdraw' | null;
  actionError: string | null;
  /** The latest status change, for the live region. */
  announcement: string;
  enrol: (cohortId: string) => Promise<boolean>;
  withdraw: () => Promise<boolean>;
}

/**
 * The caller's enrolment in one programme: enrol, withdraw, and follow a pending request until
 * the workers decide it. The enrolment's query is invalidated by its pushed decision (live.tsx)
 * and polled only while the live channel is down; a decision invalidates the programmes, whose
 * seat counts it changed.
 */
export function useEnrolment(programme: Programme): EnrolmentModel {
  const api = useApi();
  const intl = useIntl();
  const queryClient = useQueryClient();
  const [state, setState] = useState<EnrolmentState | null>(
    programme.myEnrolment ? toState(programme.myEnrolment) : null,
  );
  const [slow, setSlow] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  const title = programme.title;
  const apply = useCallback(
    (enrolment: Enrolment | MyEnrolment) => {
      const next = toState(enrolment);
      setState(next);
      setAnnouncement(statusAnnouncement(intl, title, next));
      if (next.status !== 'requested') void queryClient.invalidateQueries({ queryKey: keys.programmes.mine() });
    },
    [title, intl, queryClient],
  );

  // Adopt what a refreshed listing says, but never move a decided enrolment back to pending. The
  // listing may bring a decision before the enrolment's own read does: it is announced all the same.
  const server = programme.myEnrolment;
  const serverKey = server ? `${server.id}|${server.status}|${server.waitlistPosition}` : '';
  const current = useRef(state);
  current.current = state;
  useEffect(() => {
    if (!server) return;
    const shown = current.current;
    if (shown?.id === server.id) {
      if (shown.status === server.status && shown.waitlistPosition === server.waitlistPosition) return;
      if (server.status === 'requested') return;
      setAnnouncement(statusAnnouncement(intl, title, toState(server)));
    }
    setState(toState(server));
    // serverKey captures every field of `server` that matters.
  }, [serverKey]);

  // A pending request is followed until decided; a confirmed one shows its sessions.
  const pending = state?.status === 'requested';
  const followed = pending || state?.status === 'confirmed' ? state!.id : null;
  const poll = useLivePoll(POLL_MS);
  const detail = useQuery({
    ...queries.enrolment(api, followed ?? ''),
    enabled: followed !== null,
    // Polls back off with the fetches made; a refusal (not transient) stops them.
    refetchInterval: ({ state: fetch }) =>
      pending && poll !== false && !(fetch.error && !isTransient(fetch.error))
        ? pollDelay(fetch.dataUpdateCount + fetch.errorUpdateCount)
        : false,
  });

  useEffect(() => {
    if (!pending) return;
    setSlow(false);
    const slowTimer = window.setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    return () => window.clearTimeout(slowTimer);
  }, [pending, followed]);

  // The decision, however it came (push, poll, reconnection).
  const fetched = detail.data?.enrolment;
  useEffect(() => {
    if (pending && fetched && fetched.id === followed && fetched.status !== 'requested') apply(fetched);
  }, [pending, fetched, followed, apply]);

  const sessions =
    // Only a detail read once confirmed: the bookings are all written before the status changes, so
    // sessions read while it was still pending may be a part of them.
    state?.status === 'confirmed' && detail.data && detail.data.enrolment.id === state.id && detail.data.enrolment.status === 'confirmed' ? detail.data.sessions : null;
  const failure = detail.data === undefined && detail.error && !detail.isFetching ? errorMessage(detail.error) : null;
  const pollError = pending && detail.error && !isTransient(detail.error) ? errorMessage(detail.error) : null;

  const { refetch } = detail;
  const reloadSchedule = useCallback(() => void refetch(), [refetch]);
  // Confirmed by another path (an event, the listing) while the detail held a pending read: read it again.
  const staleDetail = state?.status === 'confirmed' && detail.data !== undefined && detail.data.enrolment.status !== 'confirmed' && !detail.isFetching;
  useEffect(() => {
    if (staleDetail) void refetch();
  }, [staleDetail, refetch]);

  const enrolment = useMutation({
    mutationFn: (cohortId: string) => api.enrol(programme.id, cohortId),
    onSuccess: ({ enrolment: created }) => apply(created),
  });
  const withdrawal = useMutation({
    mutationFn: (id: string) => api.withdraw(id),
    onSuccess: ({ enrolment: withdrawn }) => apply(withdrawn),
  });

  const { mutateAsync: enrolIn, reset: resetEnrol } = enrolment;
  const { mutateAsync: withdrawFrom, reset: resetWithdraw } = withdrawal;
  const enrol = useCallback(
    (cohortId: string) => {
      resetWithdraw();
      return enrolIn(cohortId).then(
        () => true,
        () => false,
      );
    },
    [enrolIn, resetWithdraw],
  );
  const withdraw = useCallback(async () => {
    if (!state) return false;
    resetEnrol();
    return withdrawFrom(state.id).then(
      () => true,
      () => false,
    );
  }, [withdrawFrom, resetEnrol, state]);

  const actionFailure = enrolment.error ?? withdrawal.error;
  return {
    state,
    sessions,
    scheduleError: state?.status === 'confirmed' ? failure : null,
    reloadSchedule,
    slow,
    pollError,
    busy: enrolment.isPending ? 'enrol' : withdrawal.isPending ? 'withdraw' : null,
    actionError: actionFailure ? errorMessage(actionFailure) : null,
    announcement,
    enrol,
    withdraw,
  };
}
