/** Wire types of the Coaching Pilots API, as the tab uses them. */

export type Role = 'sponsor' | 'owner' | 'manager' | 'team_member' | 'coach' | 'ops' | 'admin';

export const ALL_ROLES: readonly Role[] = [
  'sponsor',
  'owner',
  'manager',
  'team_member',
  'coach',
  'ops',
  'admin',
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}

export interface ConfigResponse {
  devSignIn: boolean;
  clientId: string;
}

export interface DevUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  tenantId: string;
  tenantName: string;
}

export interface DevUsersResponse {
  users: DevUser[];
}

export interface DevTokenResponse {
  token: string;
  /** ISO 8601 instant. */
  expiresAt: string;
}

export interface MeResponse {
  user: { id: string; name: string; email: string };
  tenant: { id: string; name: string };
  roles: Role[];
}

export type ProgrammeKind = 'pilot' | 'rollout';

export interface Session {
  id: string;
  kind: string;
  title: string;
  /** ISO 8601 instant in UTC. */
  startsAt: string;
  durationMinutes: number;
  /** IANA time zone of the organiser, e.g. "Europe/London". */
  timeZone: string;
  location: string;
}

export interface Cohort {
  id: string;
  name: string;
  capacity: number;
  seatsTaken: number;
  sessions: Session[];
}

export type EnrolmentStatus = 'requested' | 'confirmed' | 'waitlisted' | 'withdrawn' | 'completed';

/** The caller's enrolment as embedded in a programme listing. */
export interface MyEnrolment {
  id: string;
  status: EnrolmentStatus;
  cohortId: string;
  waitlistPosition: number | null;
}

export interface Programme {
  id: string;
  title: string;
  kind: ProgrammeKind;
  status: string;
  summary: string;
  goals: string[] | string | null;
  /** ISO 8601 instant, or null when enrolment has no closing date. */
  enrolmentClosesAt: string | null;
  cohorts: Cohort[];
  myEnrolment: MyEnrolment | null;
}

export interface MyProgrammesResponse {
  programmes: Programme[];
}

export interface Enrolment {
  id: string;
  programmeId: string;
  cohortId: string;
  status: EnrolmentStatus;
  requestedAt: string;
  decidedAt: string | null;
  waitlistPosition: number | null;
}

export interface EnrolmentResponse {
  enrolment: Enrolment;
}

/** A session on the caller's schedule; `sessionId` is the cohort session it belongs to. */
export interface ScheduledSession {
  id: string;
  sessionId: string;
  kind: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  timeZone: string;
  location: string;
}

export interface EnrolmentDetailResponse {
  enrolment: Enrolment;
  sessions: ScheduledSession[];
}

/** RFC 9457 problem details, as the API sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
