/**
 * What the caller, programme-card and enrolment routes send, as JSON: documented and (in tests)
 * checked by the routes, and the tab's types. Pure: zod and domain constants.
 */
import { z } from 'zod';
import { ENROLMENT_STATUSES } from '../../domain/enrolment';
import { SESSION_KINDS } from '../../domain/programme';
import { ROLES } from '../../domain/roles';

export const sessionSchema = z.object({
  id: z.string(),
  kind: z.enum(SESSION_KINDS),
  title: z.string(),
  startsAt: z.string().describe('ISO 8601, UTC'),
  durationMinutes: z.number(),
  timeZone: z.string().describe('IANA time zone of the organiser'),
  location: z.string(),
});

export const enrolmentSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  cohortId: z.string(),
  status: z.enum(ENROLMENT_STATUSES),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  waitlistPosition: z.number().nullable(),
});

export const programmeCardSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['pilot', 'rollout']),
  status: z.string(),
  summary: z.string(),
  goals: z.string(),
  enrolmentClosesAt: z.string(),
  cohorts: z.array(z.object({ id: z.string(), index: z.number().describe('0 for the first: the tab names the cohort in its reader\'s language'), name: z.string(), capacity: z.number(), seatsTaken: z.number(), sessions: z.array(sessionSchema) })),
  myEnrolment: enrolmentSchema.nullable(),
});

export const meSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  tenant: z.object({ id: z.string(), name: z.string() }),
  roles: z.array(z.enum(ROLES)),
});

/** POST /api/programmes/:programmeId/enrolments. */
export const enrolBody = z.strictObject({ cohortId: z.string().min(1).max(64).describe('The cohort to join') });
/** POST /api/enrolments/:enrolmentId/approval: the line manager's decision. */
export const approvalBody = z.strictObject({ approve: z.boolean(), comment: z.string().trim().max(1000).default('') });

export const myProgrammesResponse = z.object({ programmes: z.array(programmeCardSchema) });
export const enrolmentResponse = z.object({ enrolment: enrolmentSchema });
export const enrolmentDetailResponse = z.object({ enrolment: enrolmentSchema, sessions: z.array(sessionSchema.extend({ sessionId: z.string() })) });
export const pendingApprovalsResponse = z.object({ approvals: z.array(z.object({ enrolmentId: z.string(), person: z.string(), programmeTitle: z.string(), requestedAt: z.string() })) });

export type Role = z.output<typeof meSchema>['roles'][number];
export type MeResponse = z.output<typeof meSchema>;
export type Session = z.output<typeof sessionSchema>;
export type Enrolment = z.output<typeof enrolmentSchema>;
export type EnrolmentStatus = Enrolment['status'];
export type Programme = z.output<typeof programmeCardSchema>;
export type Cohort = Programme['cohorts'][number];
export type MyEnrolment = NonNullable<Programme['myEnrolment']>;
export type MyProgrammesResponse = z.output<typeof myProgrammesResponse>;
export type EnrolmentResponse = z.output<typeof enrolmentResponse>;
export type EnrolmentDetailResponse = z.output<typeof enrolmentDetailResponse>;
export type ScheduledSession = EnrolmentDetailResponse['sessions'][number];
export type PendingApprovalsResponse = z.output<typeof pendingApprovalsResponse>;
export type PendingApproval = PendingApprovalsResponse['approvals'][number];
export type ApprovalDecision = z.input<typeof approvalBody>;
