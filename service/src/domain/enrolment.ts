import { DomainError } from './errors';

/** An enrolment's life: requested → confirmed | waitlisted → completed, or withdrawn at any open step. */
export const ENROLMENT_STATUSES = ['requested', 'confirmed', 'waitlisted', 'withdrawn', 'completed'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** Statuses that hold (or wait for) a seat; a person has at most one such enrolment per programme. */
export const ACTIVE_STATUSES: readonly EnrolmentStatus[] = ['requested', 'confirmed', 'waitlisted'];

export function isActive(status: EnrolmentStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export interface EnrolmentWindow {
  opensAt: Date;
  closesAt: Date;
}

/** Whether a new enrolment may be requested now; throws a clear reason when not. */
export function assertEnrolmentOpen(programmeStatus: string, window: EnrolmentWindow, now: Date): void {
  if (programmeStatus !== 'enrolling') {
    throw new DomainError('closed', 'This programme is not open for enrolment.', 'programme_not_enrolling');
  }
  if (now < window.opensAt) {
    throw new DomainError('closed', `Enrolment opens on ${window.opensAt.toISOString()}.`, 'enrolment_not_open_yet');
  }
  if (now >= window.closesAt) {
    throw new DomainError('closed', `Enrolment closed on ${window.closesAt.toISOString()}.`, 'enrolment_closed');
  }
}

export function assertCanWithdraw(status: EnrolmentStatus): void {
  if (!isActive(status)) {
    throw new DomainError('conflict', `An enrolment that is ${status} cannot be withdrawn.`, 'enrolment_not_withdrawable');
  }
}

export interface SeatCandidate {
  id: string;
  status: EnrolmentStatus;
}

export type SeatDecision = { id: string; decision: 'confirm' } | { id: string; decision: 'waitlist' };

/**
 * Decides seats for candidates given in arrival order. Confirms while seats are free, waitlists
 * the rest; candidates already waitlisted stay so (no decision) when there is no seat.
 */
export function decideSeats(capacity: number, seatsTaken: number, candidates: readonly SeatCandidate[]): SeatDecision[] {
  let free = Math.max(0, capacity - seatsTaken);
  const decisions: SeatDecision[] = [];
  for (const c of candidates) {
    if (c.status !== 'requested' && c.status !== 'waitlisted') continue;
    if (free > 0) {
      decisions.push({ id: c.id, decision: 'confirm' });
      free -= 1;
    } else if (c.status === 'requested') {
      decisions.push({ id: c.id, decision: 'waitlist' });
    }
  }
  return decisions;
}

/** 1-based place on the waitlist from how many waitlisted enrolments arrived earlier. */
export function waitlistPosition(status: EnrolmentStatus, earlierWaitlisted: number): number | null {
  return status === 'waitlisted' ? earlierWaitlisted + 1 : null;
}
