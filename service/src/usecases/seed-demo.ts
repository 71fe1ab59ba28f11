import type { Role } from '../domain/roles';
import { bulkWrite } from '../data/bulk';
import type { Deps } from './deps';
import { seedDemoResults } from './seed-demo-results';

/** The demo organisation that `npm start` creates so the product can be tried at once. */
export const DEMO_TENANT = { tenantId: '3f2a8c1e-7d4b-4e6a-9c0f-1b2d3e4f5a60', name: 'Contoso (demo)' };

interface DemoUser {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
  orgUnit: string;
  jobLevel: string;
  lineManagerId: string | null;
  timeZone: string;
}

const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_USERS: DemoUser[] = [
  { userId: u(1), name: 'Dana Whitfield', email: 'dana.whitfield@contoso.example', roles: ['sponsor'], orgUnit: 'Executive', jobLevel: 'E1', lineManagerId: null, timeZone: 'Europe/London' },
  { userId: u(2), name: 'Priya Raman', email: 'priya.raman@contoso.example', roles: ['owner'], orgUnit: 'People & Learning', jobLevel: 'M3', lineManagerId: u(1), timeZone: 'Europe/London' },
  { userId: u(3), name: 'Alex Kim', email: 'alex.kim@contoso.example', roles: ['manager'], orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: u(1), timeZone: 'Europe/London' },
  { userId: u(4), name: 'Sam Okafor', email: 'sam.okafor@contoso.example', roles: ['manager'], orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: u(1), timeZone: 'Europe/Berlin' },
  { userId: u(5), name: 'Maria López', email: 'maria.lopez@contoso.example', roles: ['manager'], orgUnit: 'Customer Service', jobLevel: 'M2', lineManagerId: u(1), timeZone: 'America/New_York' },
  { userId: u(6), name: 'Jordan Lee', email: 'jordan.lee@contoso.example', roles: ['manager'], orgUnit: 'Operations', jobLevel: 'M1', lineManagerId: u(3), timeZone: 'Europe/London' },
  { userId: u(7), name: 'Chris Walker', email: 'chris.walker@contoso.example', roles: ['coach'], orgUnit: 'People & Learning', jobLevel: 'S2', lineManagerId: u(2), timeZone: 'Europe/London' },
  { userId: u(8), name: 'Olu Adeyemi', email: 'olu.adeyemi@contoso.example', roles: ['ops'], orgUnit: 'IT', jobLevel: 'S2', lineManagerId: null, timeZone: 'Europe/London' },
  { userId: u(9), name: 'Taylor Brooks', email: 'taylor.brooks@contoso.example', roles: ['admin'], orgUnit: 'IT', jobLevel: 'S3', lineManagerId: null, timeZone: 'Europe/London' },
  ...['Riya Shah', 'Ben Carter', 'Lena Fischer', 'Tom Nguyen', 'Aisha Bello', 'Marco Rossi'].map((name, i) => ({
    userId: u(20 + i),
    name,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@contoso.example`,
    roles: ['team_member'] as Role[],
    orgUnit: 'Operations',
    jobLevel: 'IC2',
    lineManagerId: i < 3 ? u(3) : u(4),
    timeZone: 'Europe/London',
  })),
];

const DAY = 24 * 3600 * 1000;

/** The session plan of the demo pilot, relative to its first day. */
const PLAN = [
  { kind: 'kickoff', title: 'Kickoff with the executive sponsor', dayOffset: 0, hour: 9, durationMinutes: 60, location: 'Teams meeting' },
  { kind: 'workshop', title: 'Workshop: from directing to coaching', dayOffset: 2, hour: 10, durationMinutes: 180, location: 'London HQ, room 4.02' },
  { kind: 'role_play', title: 'Role-play: the coaching conversation', dayOffset: 7, hour: 14, durationMinutes: 120, location: 'London HQ, room 4.02' },
  { kind: 'practical', title: 'Practical exercise: coach a team member, with live feedback', dayOffset: 14, hour: 10, durationMinutes: 90, location: 'Your own team' },
  { kind: 'one_to_one', title: '1:1 coaching with your coach', dayOffset: 21, hour: 11, durationMinutes: 45, location: 'Teams meeting' },
  { kind: 'close_out', title: 'Close-out and results review', dayOffset: 35, hour: 15, durationMinutes: 60, location: 'Teams meeting' },
];

/**
 * Creates the demo tenant once; running it again leaves existing data alone (upserts by fixed
 * keys and `$setOnInsert`).
 */
export async function seedDemo(deps: Deps): Promise<{ programmeId: string }> {
  const { Tenant, User, Programme, Cohort, SessionPlan } = deps.models;
  const { tenantId } = DEMO_TENANT;
  await Tenant.updateOne({ tenantId }, { $setOnInsert: { ...DEMO_TENANT, minGroupSize: 5 } }, { upsert: true });
  await bulkWrite(User, DEMO_USERS.map((user) => ({
      updateOne: { filter: { tenantId, userId: user.userId }, update: { $setOnInsert: { tenantId, ...user, demo: true } }, upsert: true },
    })));

  await seedDemoResults(deps, tenantId, u(1), u(2));
  const existing = await Programme.findOne({ tenantId, seedKey: 'demo-pilot' }, { _id: 1 }).lean();
  if (existing) return { programmeId: String(existing._id) };

  const now = deps.now();
  const firstDay = new Date(Math.ceil((now.getTime() + 14 * DAY) / DAY) * DAY);
  const programme = await Programme.create({
    tenantId,
    seedKey: 'demo-pilot',
    title: 'Collaborative coaching pilot for senior managers',
    kind: 'pilot',
    status: 'enrolling',
    summary:
      'Eight senior managers learn to coach rather than direct: ask questions, seek to understand, and help people find their own answers. Sponsored by the COO, who is coached first.',
    goals: 'Team members feel heard; fewer escalations; lower absenteeism in Operations.',
    hypothesis: 'Managers who coach collaboratively raise their team pulse "I feel heard" by at least 0.3 points within three months.',
    eligibility: { userIds: [u(5)], orgUnits: ['Operations'], jobLevels: [] },
    capacityPerCohort: 8,
    enrolmentOpensAt: new Date(now.getTime() - DAY),
    enrolmentClosesAt: new Date(firstDay.getTime() - 2 * DAY),
    metrics: ['team_pulse_heard', 'absence_days', 'performance_rating'],
    sponsorIds: [u(1)],
    createdBy: u(2),
  });
  const cohort = await Cohort.create({ tenantId, programmeId: programme._id, name: 'Cohort A', capacity: 8 });
  await SessionPlan.insertMany(
    PLAN.map((s) => ({
      tenantId,
      programmeId: programme._id,
      cohortId: cohort._id,
      kind: s.kind,
      title: s.title,
      startsAt: new Date(firstDay.getTime() + s.dayOffset * DAY + s.hour * 3600 * 1000),
      durationMinutes: s.durationMinutes,
      timeZone: 'Europe/London',
      location: s.location,
    })),
  );
  deps.log.info({ tenantId, programmeId: String(programme._id) }, 'seeded demo tenant');
  return { programmeId: String(programme._id) };
}
