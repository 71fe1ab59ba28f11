import { randomUUID } from 'node:crypto';
import type { Models } from '../../service/src/data/models';
import { DEFAULT_PULSE_ITEMS } from '../../service/src/domain/coaching-scale';
import type { Role } from '../../service/src/domain/roles';

export interface TestUser {
  tenantId: string;
  userId: string;
  name: string;
  roles: Role[];
}

/** Creates people in the role directory of a tenant. */
export async function createUsers(models: Models, tenantId: string, count: number, roles: Role[], extra: { orgUnit?: string } = {}): Promise<TestUser[]> {
  const users = Array.from({ length: count }, (_, i) => ({ tenantId, userId: randomUUID(), name: `${roles[0]} ${i + 1}`, roles, orgUnit: extra.orgUnit ?? 'Operations', jobLevel: 'M2' }));
  await models.User.insertMany(users);
  return users;
}

/** An open pilot with one cohort of `capacity` seats and a few sessions. */
export async function createOpenProgramme(models: Models, tenantId: string, capacity: number, opts: { orgUnit?: string; closesInMs?: number; sessions?: number; kinds?: string[] } = {}) {
  const now = Date.now();
  const programme = await models.Programme.create({
    tenantId,
    title: 'Test pilot',
    kind: 'pilot',
    status: 'enrolling',
    eligibility: { userIds: [], orgUnits: [opts.orgUnit ?? 'Operations'], jobLevels: [] },
    capacityPerCohort: capacity,
    enrolmentOpensAt: new Date(now - 3600_000),
    enrolmentClosesAt: new Date(now + (opts.closesInMs ?? 7 * 24 * 3600_000)),
    pulseItems: [...DEFAULT_PULSE_ITEMS],
    createdBy: 'owner',
  });
  const cohort = await models.Cohort.create({ tenantId, programmeId: programme._id, name: 'Cohort A', capacity });
  const n = opts.kinds?.length ?? opts.sessions ?? 3;
  await models.SessionPlan.insertMany(
    Array.from({ length: n }, (_, i) => ({
      tenantId,
      programmeId: programme._id,
      cohortId: cohort._id,
      kind: opts.kinds?.[i] ?? (i === 0 ? 'kickoff' : 'workshop'),
      title: `Session ${i + 1}`,
      startsAt: new Date(now + (10 + i) * 24 * 3600_000),
      durationMinutes: 60,
      timeZone: 'Europe/London',
      location: 'Teams meeting',
    })),
  );
  return { programmeId: String(programme._id), cohortId: String(cohort._id) };
}

/** A programme design that passes validation (sessions two weeks out). */
export function validDesign(overrides: Record<string, unknown> = {}) {
  const day = 24 * 3600_000;
  const now = Date.now();
  return {
    title: 'Collaborative coaching pilot',
    kind: 'pilot',
    summary: 'Senior managers learn to coach.',
    goals: 'Team members feel heard.',
    hypothesis: 'Pulse "I feel heard" rises by 0.3.',
    eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] },
    capacityPerCohort: 4,
    cohortCount: 1,
    enrolmentOpensAt: new Date(now - day).toISOString(),
    enrolmentClosesAt: new Date(now + 10 * day).toISOString(),
    sessions: [
      { kind: 'kickoff', title: 'Kickoff', startsAt: new Date(now + 14 * day).toISOString(), durationMinutes: 60, timeZone: 'Europe/London', location: 'Teams' },
      { kind: 'role_play', title: 'Role-play', startsAt: new Date(now + 16 * day).toISOString(), durationMinutes: 90, timeZone: 'Europe/London', location: 'Room 1' },
    ],
    metrics: ['team_pulse_heard'],
    ...overrides,
  };
}
