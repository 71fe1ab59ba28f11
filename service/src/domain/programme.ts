import { pulseItemProblems } from './coaching-scale';
import { DomainError } from './errors';
import { TEAM_PULSE_HEARD_METRIC } from './metrics';

/**
 * A programme's lifecycle. Every transition is decided here:
 *
 *   draft ──submit──► proposed ──approve──► sponsored ──open_enrolment──► enrolling ──start──► running ──complete──► completed
 *     ▲                 │  │
 *     └──edit/submit── changes_requested ◄──request_changes   └──decline──► declined
 *
 * plus `withdraw` from any state before running. `edit` keeps the state. `sponsor_left` sends a
 * proposed programme back to its owner, as a request for changes would, when sponsors it waits on
 * have left the organisation (canStillBeSponsored).
 */
export const PROGRAMME_STATUSES = ['draft', 'proposed', 'sponsored', 'declined', 'changes_requested', 'enrolling', 'running', 'completed', 'withdrawn'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];
/** Declined or withdrawn: the programme will not run, and what its sponsors promised no longer matters. */
export const NOT_GOING_AHEAD: readonly ProgrammeStatus[] = ['declined', 'withdrawn'];

/** The letters a cohort is named by, in the order made: A … Z, then AA, AB … (the tab words the name in its reader's language). */
export function cohortLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export const PROGRAMME_ACTIONS = ['edit', 'submit', 'approve', 'decline', 'request_changes', 'sponsor_left', 'open_enrolment', 'start', 'complete', 'withdraw'] as const;
export type ProgrammeAction = (typeof PROGRAMME_ACTIONS)[number];

export type SponsorRule = 'any' | 'all';

/** What an approval needs to know: how many sponsors were asked, how many approved (including this one), and the rule. */
export interface ApprovalTally {
  rule: SponsorRule;
  sponsors: number;
  approvals: number;
}

const MOVES: Record<ProgrammeAction, Partial<Record<ProgrammeStatus, ProgrammeStatus>>> = {
  edit: { draft: 'draft', changes_requested: 'changes_requested' },
  submit: { draft: 'proposed', changes_requested: 'proposed' },
  approve: { proposed: 'sponsored' },
  decline: { proposed: 'declined' },
  request_changes: { proposed: 'changes_requested' },
  sponsor_left: { proposed: 'changes_requested' },
  open_enrolment: { sponsored: 'enrolling' },
  start: { enrolling: 'running' },
  complete: { running: 'completed' },
  withdraw: { draft: 'withdrawn', proposed: 'withdrawn', changes_requested: 'withdrawn', sponsored: 'withdrawn', enrolling: 'withdrawn' },
};

/** The state after `action`, or a conflict saying why it is not allowed now. */
export function nextStatus(status: ProgrammeStatus, action: ProgrammeAction, tally?: ApprovalTally): ProgrammeStatus {
  const to = MOVES[action][status];
  if (!to) {
    throw new DomainError('conflict', `A programme that is ${status.replace('_', ' ')} cannot be ${PAST[action]}.`, 'programme_transition_not_allowed');
  }
  if (action === 'approve') {
    if (!tally) throw new Error('approve needs the approval tally');
    // With "all", the programme stays proposed until the last sponsor approves.
    if (tally.rule === 'all' && tally.approvals < tally.sponsors) return 'proposed';
  }
  return to;
}

/**
 * Whether a proposed programme can still be sponsored by whom it asked, those who have left the
 * organisation deciding nothing more: with "all", only if each of them had approved; with "any",
 * while one of them is still here (a proposed programme's decisions can only be approvals, and
 * with "any" there are none).
 */
export function canStillBeSponsored(rule: SponsorRule, sponsorIds: readonly string[], approved: (userId: string) => boolean, left: (userId: string) => boolean): boolean {
  if (rule === 'all') return sponsorIds.every((id) => !left(id) || approved(id));
  return sponsorIds.some((id) => !left(id));
}

export function canDo(status: ProgrammeStatus, action: ProgrammeAction): boolean {
  return MOVES[action][status] !== undefined;
}

const PAST: Record<ProgrammeAction, string> = {
  edit: 'edited',
  submit: 'submitted for sponsorship',
  approve: 'approved',
  decline: 'declined',
  request_changes: 'sent back for changes',
  sponsor_left: 'sent back for another sponsor',
  open_enrolment: 'opened for enrolment',
  start: 'started',
  complete: 'completed',
  withdraw: 'withdrawn',
};

export const SESSION_KINDS = ['kickoff', 'workshop', 'role_play', 'practical', 'one_to_one', 'close_out'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export interface SessionPlanInput {
  kind: SessionKind;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  location: string;
}

export interface ProgrammeDesign {
  title: string;
  capacityPerCohort: number;
  cohortCount: number;
  enrolmentOpensAt: Date;
  enrolmentClosesAt: Date;
  sessions: readonly SessionPlanInput[];
  eligibility: { userIds: readonly string[]; orgUnits: readonly string[]; jobLevels: readonly string[] };
  metrics: readonly string[];
  /** The metric the verdict rests on; the first metric when not named. */
  primaryMetric?: string | null;
  /** The team pulse's statements. */
  pulseItems: readonly string[];
  comparison?: { mode: ComparisonMode; userIds: readonly string[]; caliperSd?: number };
}

/** Matched comparison: a participant's match may be at most this many standard deviations of the baseline away. */
export const DEFAULT_CALIPER_SD = 0.5;

export const COMPARISON_MODES = ['all_eligible', 'chosen', 'matched'] as const;
export type ComparisonMode = (typeof COMPARISON_MODES)[number];

export interface DesignProblem {
  path: string;
  message: string;
}

/** Checks a design the way a programme owner would want to hear about it; returns every problem. */
export function validateDesign(d: ProgrammeDesign, now: Date, isValidTimeZone: (tz: string) => boolean): DesignProblem[] {
  const problems: DesignProblem[] = [];
  if (d.capacityPerCohort < 1) problems.push({ path: 'capacityPerCohort', message: 'Each cohort needs at least one seat.' });
  if (d.cohortCount < 1) problems.push({ path: 'cohortCount', message: 'There must be at least one cohort.' });
  if (d.enrolmentClosesAt <= d.enrolmentOpensAt) problems.push({ path: 'enrolmentClosesAt', message: 'Enrolment must close after it opens.' });
  if (d.sessions.length === 0) problems.push({ path: 'sessions', message: 'Plan at least one session.' });
  const first = d.sessions.reduce<Date | null>((min, s) => (!min || s.startsAt < min ? s.startsAt : min), null);
  if (first && d.enrolmentClosesAt > first) problems.push({ path: 'enrolmentClosesAt', message: 'Enrolment must close before the first session starts.' });
  d.sessions.forEach((s, i) => {
    if (s.startsAt <= now) problems.push({ path: `sessions.${i}.startsAt`, message: `"${s.title}" starts in the past.` });
    if (!isValidTimeZone(s.timeZone)) problems.push({ path: `sessions.${i}.timeZone`, message: `"${s.timeZone}" is not a known time zone.` });
    if (s.durationMinutes < 5 || s.durationMinutes > 8 * 60) problems.push({ path: `sessions.${i}.durationMinutes`, message: 'A session lasts between 5 minutes and 8 hours.' });
  });
  const e = d.eligibility;
  if (e.userIds.length + e.orgUnits.length + e.jobLevels.length === 0) problems.push({ path: 'eligibility', message: 'Say who may enrol: people, org units or job levels.' });
  if (d.metrics.length === 0) problems.push({ path: 'metrics', message: 'Choose at least one success metric up front.' });
  if (d.primaryMetric && !d.metrics.includes(d.primaryMetric)) problems.push({ path: 'primaryMetric', message: 'The primary metric must be one of the chosen metrics.' });
  problems.push(...pulseItemProblems(d.pulseItems));
  if (d.metrics.includes(TEAM_PULSE_HEARD_METRIC) && !d.pulseItems.includes('feelHeard')) {
    problems.push({ path: 'pulseItems', message: 'The "I feel heard" metric needs the pulse statement "I feel heard".' });
  }
  if (d.comparison?.mode === 'chosen' && d.comparison.userIds.length === 0) {
    problems.push({ path: 'comparison.userIds', message: 'Choose the people to compare with, or let the comparison group be matched automatically.' });
  }
  if (d.comparison?.mode === 'chosen' && d.comparison.userIds.some((id) => e.userIds.includes(id))) {
    problems.push({ path: 'comparison.userIds', message: 'Someone invited by name cannot also be in the comparison group.' });
  }
  return problems;
}

/** IANA zone check with the runtime's own time-zone database. */
export function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** What a programme's stored state must agree with, whatever wrote it. */
export interface LifecycleFacts {
  status: ProgrammeStatus;
  sponsorIds: readonly string[];
  sponsorRule?: SponsorRule | null;
  sponsorDecisions?: Record<string, { decision: string }> | null;
  submittedAt?: Date | null;
  locked?: { at: Date } | null;
  /** Sponsors who left before deciding, when that sent it back for another (sponsor_left). */
  sponsorsLeft?: readonly string[] | null;
}

const SUBMITTED_STATES: readonly ProgrammeStatus[] = ['proposed', 'sponsored', 'declined', 'changes_requested', 'enrolling', 'running', 'completed'];
const SPONSORED_STATES: readonly ProgrammeStatus[] = ['sponsored', 'enrolling', 'running', 'completed'];

/**
 * The contradictions a programme's state may hold (none when it could only have been reached
 * through the transitions above): e.g. enrolling without a sponsor's approval or a locked design.
 */
export function lifecycleProblems(p: LifecycleFacts): string[] {
  const problems: string[] = [];
  const decisions = Object.entries(p.sponsorDecisions ?? {});
  const approvals = decisions.filter(([, d]) => d.decision === 'approved').length;
  for (const [sponsorId] of decisions) {
    if (!p.sponsorIds.includes(sponsorId)) problems.push(`${sponsorId} decided but was not asked to sponsor.`);
  }
  if (SUBMITTED_STATES.includes(p.status)) {
    if (!p.submittedAt) problems.push(`It is ${p.status} but was never submitted.`);
    if (p.sponsorIds.length === 0) problems.push(`It is ${p.status} but no sponsor was asked.`);
  } else if (p.status === 'draft' && decisions.length > 0) {
    problems.push('A draft has sponsor decisions.');
  }
  if (SPONSORED_STATES.includes(p.status)) {
    const needed = p.sponsorRule === 'all' ? p.sponsorIds.length : 1;
    if (approvals < needed) problems.push(`It is ${p.status} with ${approvals} of the ${needed} approvals it needs.`);
    if (!p.locked) problems.push(`It is ${p.status} but its success metrics were never locked.`);
  } else if (p.status !== 'withdrawn' && p.locked) {
    problems.push(`It is ${p.status} but its success metrics are locked, as only sponsorship does.`);
  }
  if (p.status === 'declined' && !decisions.some(([, d]) => d.decision === 'declined')) problems.push('It is declined but no sponsor declined it.');
  if (p.status === 'changes_requested' && !decisions.some(([, d]) => d.decision === 'changes_requested') && !p.sponsorsLeft?.length) problems.push('Changes are requested but no sponsor asked for them, nor left.');
  return problems;
}
