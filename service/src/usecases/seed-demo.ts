import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PULSE_ITEMS } from '../domain/coaching-scale';
import { DEFAULT_CALIPER_SD, type SessionKind } from '../domain/programme';
import type { Role } from '../domain/roles';
import { insertNew } from '../data/bulk';
import type { ProgrammeDoc } from '../data/models';
import type { Deps } from './deps';
import { listKeys } from './directory';
import { importPeople } from './import-people';
import { seedDemoResults } from './seed-demo-results';
import { createProgramme } from './design-programme';
import { prepareCohorts } from './prepare-cohorts';
import { holidayOn } from './session-calendar';
import { decideSponsorship, openEnrolment, submitForSponsorship } from './sponsorship';

/** The request id the demo's audit entries carry. */
const SEED_REQUEST = 'seed-demo';

/** The demo organisation that `npm start` creates so the product can be tried at once. */
export const DEMO_TENANT = { tenantId: '3f2a8c1e-7d4b-4e6a-9c0f-1b2d3e4f5a60', name: 'Contoso (demo)' };

/**
 * A demo person's identity and roles. Their directory facts (line manager, org unit, job level,
 * time zone) are in the demo's HR file, service/seed/demo-people.csv, imported the way a tenant
 * admin imports theirs.
 */
interface DemoUser {
  userId: string;
  name: string;
  email: string;
  roles: Role[];
}

const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_USERS: DemoUser[] = [
  { userId: u(1), name: 'Dana Whitfield', email: 'dana.whitfield@contoso.example', roles: ['sponsor'] },
  { userId: u(2), name: 'Priya Raman', email: 'priya.raman@contoso.example', roles: ['owner'] },
  { userId: u(3), name: 'Alex Kim', email: 'alex.kim@contoso.example', roles: ['manager'] },
  { userId: u(4), name: 'Sam Okafor', email: 'sam.okafor@contoso.example', roles: ['manager'] },
  { userId: u(5), name: 'Maria López', email: 'maria.lopez@contoso.example', roles: ['manager'] },
  { userId: u(6), name: 'Jordan Lee', email: 'jordan.lee@contoso.example', roles: ['manager'] },
  { userId: u(7), name: 'Chris Walker', email: 'chris.walker@contoso.example', roles: ['coach'] },
  { userId: u(8), name: 'Olu Adeyemi', email: 'olu.adeyemi@contoso.example', roles: ['ops'] },
  { userId: u(9), name: 'Taylor Brooks', email: 'taylor.brooks@contoso.example', roles: ['admin'] },
  ...['Riya Shah', 'Ben Carter', 'Lena Fischer', 'Tom Nguyen', 'Aisha Bello', 'Marco Rossi'].map((name, i) => ({
    userId: u(20 + i),
    name,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@contoso.example`,
    roles: ['team_member'] as Role[],
  })),
];

/**
 * The demo's HR file. The build compiles TypeScript only (dist/ mirrors the source tree), so the
 * file is read from the source tree: the first ancestor of this module holding service/seed, which
 * is the repository root both from service/src/usecases and from dist/service/src/usecases.
 */
export function demoPeopleFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'service', 'seed', 'demo-people.csv');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`service/seed/demo-people.csv was not found above ${__dirname}`);
  }
}

/** Imports the demo's HR file through the admin's import (commit): the first time it sets everyone's facts, later it changes nothing. */
async function importDemoPeople(deps: Deps, tenantId: string): Promise<void> {
  const caller = { tenantId, userId: 'seed-demo', roles: ['admin'] };
  const report = await importPeople(deps, caller, createReadStream(demoPeopleFile()), 'commit', { audit: false });
  if (report.errorCount > 0) throw new Error(`the demo HR file has errors: ${report.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  deps.log.info({ tenantId, created: report.created, updated: report.updated, unchanged: report.unchanged }, 'imported the demo HR file');
}

const DAY = 24 * 3600 * 1000;

/** The session plan of the demo pilot, relative to its first day. */
const PLAN: { kind: SessionKind; title: string; dayOffset: number; hour: number; durationMinutes: number; location: string }[] = [
  { kind: 'kickoff', title: 'Kickoff with the executive sponsor', dayOffset: 0, hour: 9, durationMinutes: 60, location: 'Teams meeting' },
  { kind: 'workshop', title: 'Workshop: from directing to coaching', dayOffset: 2, hour: 10, durationMinutes: 180, location: 'London HQ, room 4.02' },
  { kind: 'role_play', title: 'Role-play: the coaching conversation', dayOffset: 7, hour: 14, durationMinutes: 120, location: 'London HQ, room 4.02' },
  { kind: 'practical', title: 'Practical exercise: coach a team member, with live feedback', dayOffset: 14, hour: 10, durationMinutes: 90, location: 'Your own team' },
  { kind: 'one_to_one', title: '1:1 coaching with your coach', dayOffset: 21, hour: 11, durationMinutes: 45, location: 'Teams meeting' },
  { kind: 'close_out', title: 'Close-out and results review', dayOffset: 35, hour: 15, durationMinutes: 60, location: 'Teams meeting' },
];

/**
 * Creates the demo tenant once; running it again leaves existing data alone (creation by fixed
 * keys, and an HR import that changes nothing the second time). The demo people are created with
 * their identity and roles, then given their directory facts by importing the demo HR file.
 */
export async function seedDemo(deps: Deps): Promise<{ programmeId: string }> {
  const { Tenant, User } = deps.models;
  const { tenantId } = DEMO_TENANT;
  await Tenant.updateOne({ tenantId }, { $setOnInsert: { ...DEMO_TENANT, minGroupSize: 5 } }, { upsert: true });
  await insertNew(User, DEMO_USERS.map((user) => ({ tenantId, ...user, demo: true, ...listKeys(user.name, user.email) })));
  await seedDemoResults(deps, tenantId, u(1), u(2));
  // After the completed pilot's people, so that the recount after the import counts them too.
  await importDemoPeople(deps, tenantId);
  const programmeId = await seedDemoPilot(deps, tenantId);
  deps.log.info({ tenantId, programmeId }, 'seeded demo tenant');
  return { programmeId };
}

/**
 * The demo's open pilot, made the way a customer's is: the owner designs and submits it, the
 * sponsor approves with her commitments, the owner opens enrolment and the cohorts are prepared.
 * Each step is taken only if the programme has not passed it, so a seed cut short resumes.
 */
async function seedDemoPilot(deps: Deps, tenantId: string): Promise<string> {
  const { Programme } = deps.models;
  const owner = { tenantId, userId: u(2), roles: ['owner'] };
  const sponsor = { tenantId, userId: u(1), roles: ['sponsor'] };
  let programme: ProgrammeDoc | null = await Programme.findOne({ tenantId, seedKey: 'demo-pilot' }).lean();
  if (!programme) {
    const now = deps.now();
    // A Monday two weeks or more ahead whose plan meets no public holiday in London, as an owner
    // heeding the design form's calendar check would plan it.
    const onHoliday = (day: Date) => PLAN.some((p) => holidayOn('Europe/London', new Date(day.getTime() + p.dayOffset * DAY).toISOString().slice(0, 10)));
    let firstDay = new Date(Math.ceil((now.getTime() + 14 * DAY) / DAY) * DAY);
    while (firstDay.getUTCDay() !== 1 || onHoliday(firstDay)) firstDay = new Date(firstDay.getTime() + DAY);
    const metrics = ['coaching_scale', 'team_pulse_heard', 'absence_days', 'performance_rating'];
    const created = await createProgramme(deps, owner, {
      title: 'Collaborative coaching pilot for senior managers',
      kind: 'pilot',
      summary:
        'Eight senior managers learn to coach rather than direct: ask questions, seek to understand, and help people find their own answers. Sponsored by the COO, who is coached first.',
      goals: 'Team members feel heard; fewer escalations; lower absenteeism in Operations.',
      hypothesis: 'Managers who coach collaboratively raise their teams’ coaching-behaviour score by at least 0.3 points (of 5) within three months.',
      eligibility: { userIds: [u(5)], orgUnits: ['Operations'], jobLevels: [] },
      capacityPerCohort: 8,
      cohortCount: 1,
      enrolmentOpensAt: new Date(now.getTime() - DAY),
      enrolmentClosesAt: new Date(firstDay.getTime() - 2 * DAY),
      sessions: PLAN.map((s) => ({
        kind: s.kind,
        title: s.title,
        startsAt: new Date(firstDay.getTime() + s.dayOffset * DAY + s.hour * 3600 * 1000),
        durationMinutes: s.durationMinutes,
        timeZone: 'Europe/London',
        location: s.location,
      })),
      metrics,
      primaryMetric: 'coaching_scale',
      pulseItems: [...DEFAULT_PULSE_ITEMS],
      comparison: { mode: 'all_eligible', userIds: [], caliperSd: DEFAULT_CALIPER_SD },
    }, SEED_REQUEST);
    await Programme.updateOne({ _id: created._id, tenantId }, { $set: { seedKey: 'demo-pilot' } });
    programme = created;
  }
  const id = String(programme._id);
  if (programme.status === 'draft') programme = await submitForSponsorship(deps, owner, id, [sponsor.userId], 'any', SEED_REQUEST);
  if (programme.status === 'proposed') {
    const reviewBy = new Date(programme.sessionPlan!.reduce((last, s) => Math.max(last, new Date(s.startsAt!).getTime()), 0) + 14 * DAY);
    programme = await decideSponsorship(deps, sponsor, id, {
      decision: 'approved',
      commitments: { attendKickoff: true, coachedFirst: true, reviewResultsBy: reviewBy, ownWords: 'I will be coached first, open the kickoff and review the results with the owner.' },
      reason: '',
    }, SEED_REQUEST);
  }
  if (programme.status === 'sponsored') programme = await openEnrolment(deps, owner, id, SEED_REQUEST);
  // What the programme worker does on "enrolment opened", done here too so the demo has its cohort
  // at once; the worker's own run changes nothing (cohorts, sessions and invitations are keyed).
  const opened = programme.outbox?.find((e) => e.type === 'programme.enrolment_opened');
  if (programme.status === 'enrolling' && opened) await prepareCohorts(deps, null, tenantId, id, opened.id);
  return id;
}
