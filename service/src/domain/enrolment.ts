import { DomainError } from './errors';

/**
 * An enrolment's life: [awaiting_approval →] requested → confirmed | waitlisted → completed, or
 * withdrawn at any open step; declined when the line manager says no (programmes that ask for it).
 */
export const ENROLMENT_STATUSES = ['awaiting_approval', 'requested', 'confirmed', 'waitlisted', 'withdrawn', 'completed', 'declined'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** Statuses that hold (or wait for) a seat; a person has at most one such enrolment per programme. */
export const ACTIVE_STATUSES: readonly EnrolmentStatus[] = ['awaiting_approval', 'requested', 'confirmed', 'waitlisted'];
/** Enrolments of people who take (or took) part: a programme's participants. */
export const PARTICIPANT_STATUSES: readonly EnrolmentStatus[] = ['confirmed', 'completed'];

/** The first status of a new enrolment: line-manager approval first when the programme asks for it. */
export function initialStatus(requiresLineManagerApproval: boolean, lineManagerId: string | null | undefined): EnrolmentStatus {
  return requiresLineManagerApproval && lineManagerId ? 'awaiting_approval' : 'requested';
}

/** The line manager's answer: approval sends the request on to seat allocation; a refusal ends it. */
export function afterLineManagerDecision(status: EnrolmentStatus, approve: boolean): EnrolmentStatus {
  if (status !== 'awaiting_approval') {
    throw new DomainError('conflict', 'This enrolment is not waiting for approval.', 'not_awaiting_approval');
  }
  return approve ? 'requested' : 'declined';
}

/**
 * Who decides an enrolment awaiting approval after the directory changed: the enrolee's line manager
 * now; when that manager has left, their own line manager (one level up, as HR would route it);
 * null when nobody can, and the request goes on without approval (as it would for someone with no
 * line manager at enrolment).
 */
export function approverNow(lineManagerId: string | null, person: (id: string) => { departed: boolean; lineManagerId: string | null } | undefined): string | null {
  if (!lineManagerId) return null;
  const manager = person(lineManagerId);
  if (manager && !manager.departed) return lineManagerId;
  const up = manager?.lineManagerId ?? null;
  if (up && up !== lineManagerId && person(up) && !person(up)!.departed) return up;
  return null;
}

export function isActive(status: EnrolmentStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export interface EnrolmentWindow {
  opensAt: Date;
  closesAt: Date;
}

/** A moment as people read it in English ("Sat 2 Jan 2027, 00:00 UTC"): for words sent to people in many zones. */
export function utcMoment(at: Date): string {
  return `${UTC_MOMENT.format(at)} UTC`;
}
const UTC_MOMENT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Whether a new enrolment may be requested now; throws a clear reason when not. */
export function assertEnrolmentOpen(programmeStatus: string, window: EnrolmentWindow, now: Date): void {
  if (programmeStatus !== 'enrolling') {
    throw new DomainError('closed', 'This programme is not open for enrolment.', 'programme_not_enrolling');
  }
  if (now < window.opensAt) {
    throw new DomainError('closed', `Enrolment opens on ${utcMoment(window.opensAt)}.`, 'enrolment_not_open_yet');
  }
  if (now >= window.closesAt) {
    throw new DomainError('closed', `Enrolment closed on ${utcMoment(window.closesAt)}.`, 'enrolment_closed');
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
