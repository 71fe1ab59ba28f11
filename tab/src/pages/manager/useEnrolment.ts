import { useCallback, useEffect, useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { ApiError, errorMessage, isAbort } from '../../api/client';
import type { Enrolment, MyEnrolment, Programme, ScheduledSession } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useUserLive } from '../../app/live';
import { statusAnnouncement, type EnrolmentState } from './status';

/**
 * Poll every half second for the first ten seconds, then back off to this ceiling. A decision
 * usually lands about half a second after the request (the allocator's settle pause plus the
 * write), so a one-second first poll added most of a second to "click to confirmed" (bench).
 */
const FAST_POLLS = 20;
const POLL_MS = 500;
const MAX_POLL_MS = 10_000;
/** While the live channel is connected the decision is pushed; this slow poll only covers a lost event. */
const LIVE_SAFETY_POLL_MS = 30_000;
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

/** Whether an API failure is worth retrying on the next poll. */
function isTransient(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 429 || error.status >= 500;
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
 * The caller's enrolment in one programme: enrol, withdraw, and follow a pending request
 * until the workers decide it. `onDecided` lets the page refresh seat counts.
 */
export function useEnrolment(programme: Programme, onDecided: () => void): EnrolmentModel {
  const api = useApi();
  const intl = useIntl();
  const [state, setState] = useState<EnrolmentState | null>(
    programme.myEnrolment ? toState(programme.myEnrolment) : null,
  );
  const [sessions, setSessions] = useState<ScheduledSession[] | null>(null);
  const [scheduleError, setScheduleError] = useState<string | null>(null);
  const [scheduleAttempt, setScheduleAttempt] = useState(0);
  const [slow, setSlow] = useState(false);
  const [pollError, setPollError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'enrol' | 'withdraw' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  // Aborts in-flight actions when the card goes away.
  const actions = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    actions.current = controller;
    return () => controller.abort();
  }, []);

  const onDecidedRef = useRef(onDecided);
  useEffect(() => {
    onDecidedRef.current = onDecided;
  }, [onDecided]);

  const title = programme.title;
  const apply = useCallback(
    (enrolment: Enrolment | MyEnrolment, scheduled: ScheduledSession[] | null) => {
      const next = toState(enrolment);
      setState(next);
      setSessions(next.status === 'confirmed' ? scheduled : null);
      setAnnouncement(statusAnnouncement(intl, title, next));
      if (next.status !== 'requested') onDecidedRef.current();
    },
    [title, intl],
  );

  // Adopt what a refreshed listing says, but never move a decided enrolment back to pending.
  const server = programme.myEnrolment;
  const serverKey = server ? `${server.id}|${server.status}|${server.waitlistPosition}` : '';
  useEffect(() => {
    if (!server) return;
    setState((current) => {
      if (!current || current.id !== server.id) return toState(server);
      if (current.status === server.status && current.waitlistPosition === server.waitlistPosition) {
        return current;
      }
      return server.status === 'requested' ? current : toState(server);
    });
    // serverKey captures every field of `server` that matters.
  }, [serverKey]);

  // Follow a pending request: ~1 s polls, backing off, stopping once decided or unmounted.
  const pendingId = state?.status === 'requested' ? state.id : null;
  const live = useUserLive();
  const pushed = live.state === 'live';
  useEffect(() => {
    if (!pendingId) return;
    const controller = new AbortController();
    let timer: number | undefined;
    let attempt = 0;
    setSlow(false);
    setPollError(null);

    const poll = async () => {
      try {
        const detail = await api.getEnrolment(pendingId, controller.signal);
        if (controller.signal.aborted) return;
        setPollError(null);
        if (detail.enrolment.status !== 'requested') {
          apply(detail.enrolment, detail.sessions);
          return;
        }
      } catch (error) {
        if (controller.signal.aborted || isAbort(error)) return;
        if (!isTransient(error)) {
          setPollError(errorMessage(error));
          return;
        }
      }
      attempt += 1;
      schedule();
    };
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void poll(), pushed ? LIVE_SAFETY_POLL_MS : pollDelay(attempt));
    };
    const slowTimer = window.setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    // The decision arrives by push; a (re)connection may have missed it, so it checks once.
    const offDecided = live.on('enrolment', (data) => {
      if ((data as { enrolmentId?: string } | null)?.enrolmentId === pendingId) void poll();
    });
    const offHello = live.on('hello', () => void poll());

    timer = window.setTimeout(() => void poll(), pushed ? LIVE_SAFETY_POLL_MS : POLL_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
      window.clearTimeout(slowTimer);
      offDecided();
      offHello();
    };
  }, [api, apply, pendingId, pushed, live]);

  // A confirmed enrolment loaded with the page has no sessions yet: fetch them once.
  const confirmedId = state?.status === 'confirmed' ? state.id : null;
  const needSchedule = confirmedId !== null && sessions === null;
  useEffect(() => {
    if (!needSchedule || !confirmedId) return;
    const controller = new AbortController();
    setScheduleError(null);
    api.getEnrolment(confirmedId, controller.signal).then(
      (detail) => setSessions(detail.sessions),
      (error: unknown) => {
        if (!isAbort(error)) setScheduleError(errorMessage(error));
      },
    );
    return () => controller.abort();
  }, [api, confirmedId, needSchedule, scheduleAttempt]);

  const reloadSchedule = useCallback(() => setScheduleAttempt((n) => n + 1), []);

  const enrol = useCallback(
    async (cohortId: string) => {
      setBusy('enrol');
      setActionError(null);
      try {
        const { enrolment } = await api.enrol(programme.id, cohortId, actions.current?.signal);
        apply(enrolment, null);
        return true;
      } catch (error) {
        if (!isAbort(error)) setActionError(errorMessage(error));
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api, apply, programme.id],
  );

  const withdraw = useCallback(async () => {
    if (!state) return false;
    setBusy('withdraw');
    setActionError(null);
    try {
      const { enrolment } = await api.withdraw(state.id, actions.current?.signal);
      apply(enrolment, null);
      return true;
    } catch (error) {
      if (!isAbort(error)) setActionError(errorMessage(error));
      return false;
    } finally {
      setBusy(null);
    }
  }, [api, apply, state]);

  return {
    state,
    sessions,
    scheduleError,
    reloadSchedule,
    slow,
    pollError,
    busy,
    actionError,
    announcement,
    enrol,
    withdraw,
  };
}
