import { z } from 'zod';
import { ENROLMENT_STATUSES } from '../../domain/enrolment';
import { ROLES } from '../../domain/roles';

/** Response shapes shared by routes (documented in OpenAPI). */
export const sessionSchema = z.object({
  id: z.string(),
  kind: z.string(),
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
  cohorts: z.array(z.object({ id: z.string(), name: z.string(), capacity: z.number(), seatsTaken: z.number(), sessions: z.array(sessionSchema) })),
  myEnrolment: enrolmentSchema.nullable(),
});

export const meSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  tenant: z.object({ id: z.string(), name: z.string() }),
  roles: z.array(z.enum(ROLES)),
});
