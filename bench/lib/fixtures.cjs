// Seed data for the bench, written straight to the section's database (as the tests' fixtures do).
'use strict';
const { randomUUID } = require('node:crypto');

const DAY = 24 * 3600_000;

/** People in a tenant's directory. */
async function createUsers(models, tenantId, count, roles, extra = {}) {
  const users = Array.from({ length: count }, (_, i) => ({
    tenantId,
    userId: randomUUID(),
    name: `${roles[0]} ${i + 1}`,
    roles,
    orgUnit: extra.orgUnit ?? 'Operations',
    jobLevel: 'M2',
    timeZone: extra.timeZone ?? 'Europe/London',
    lineManagerId: extra.lineManagerId ?? null,
  }));
  for (let i = 0; i < users.length; i += 1000) await models.User.insertMany(users.slice(i, i + 1000));
  return users;
}

/** An open pilot with one cohort of `capacity` seats and `sessions` sessions (10+ days out). */
async function createOpenProgramme(models, tenantId, capacity, { sessions = 3, title = 'Bench pilot', createdBy = 'owner' } = {}) {
  const now = Date.now();
  const programme = await models.Programme.create({
    tenantId,
    title,
    kind: 'pilot',
    status: 'enrolling',
    eligibility: { userIds: [], orgUnits: ['Operations'], jobLevels: [] },
    capacityPerCohort: capacity,
    enrolmentOpensAt: new Date(now - 3600_000),
    enrolmentClosesAt: new Date(now + 7 * DAY),
    createdBy,
  });
  const cohort = await models.Cohort.create({ tenantId, programmeId: programme._id, name: 'Cohort A', capacity });
  const plans = await models.SessionPlan.insertMany(
    Array.from({ length: sessions }, (_, i) => ({
      tenantId,
      programmeId: programme._id,
      cohortId: cohort._id,
      kind: i === 0 ? 'kickoff' : 'workshop',
      title: `Session ${i + 1}`,
      startsAt: new Date(now + (10 + i) * DAY),
      durationMinutes: 60,
      timeZone: 'Europe/London',
      location: 'Teams meeting',
    })),
  );
  return { programmeId: String(programme._id), cohortId: String(cohort._id), sessionIds: plans.map((p) => p._id) };
}

module.exports = { createUsers, createOpenProgramme, DAY };
