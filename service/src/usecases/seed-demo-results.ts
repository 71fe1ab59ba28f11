import { randomUUID } from 'node:crypto';
import { DEFAULT_PULSE_ITEMS } from '../domain/coaching-scale';
import { bulkWrite } from '../data/bulk';
import type { Deps } from './deps';
import { listKeys } from './directory';
import { seedDemoPractice } from './seed-demo-practice';

const DAY = 24 * 3600 * 1000;
const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A small deterministic pseudo-random sequence, so the demo figures are the same on every machine. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/**
 * A completed demo pilot with realistic results: eight participants in two Operations units and
 * twelve eligible managers who did not enrol, of whom one per participant is matched (same unit,
 * nearest baseline) as the comparison group; absence and performance before and after; team pulses
 * before and after; attendance; and the sponsor's commitments. Created once.
 */
export async function seedDemoResults(deps: Deps, tenantId: string, sponsorId: string, ownerId: string): Promise<void> {
  const { Programme, User, Cohort, SessionPlan, Enrolment, ParticipantSession, Attendance, OutcomeValue, PulseResponse, FeedbackRequest } = deps.models;
  if (await Programme.exists({ tenantId, seedKey: 'demo-completed-pilot' })) return;
  const rand = sequence(42);
  const now = deps.now().getTime();
  const participants = Array.from({ length: 8 }, (_, i) => ({ userId: u(100 + i), name: ['Hannah Cole', 'Ivan Petrov', 'Grace Mensah', 'Oscar Silva', 'Yuki Tanaka', 'Fatima Noor', 'Liam Byrne', 'Chloe Martin'][i]! }));
  const comparison = Array.from({ length: 12 }, (_, i) => ({ userId: u(120 + i), name: ['Noah Evans', 'Sofia Rossi', 'Ethan Park', 'Amara Obi', 'Lucas Weber', 'Mia Novak', 'Arjun Rao', 'Ella Hughes', 'Jonas Berg', 'Priya Shah', 'Tomás García', 'Zara Ahmed'][i]! }));
  const unit = (i: number) => (i % 2 === 0 ? 'Operations North' : 'Operations South');
  const TEAM_SIZE = 7;
  const teams = participants.flatMap((p, i) => Array.from({ length: TEAM_SIZE }, (_, j) => ({ userId: u(200 + i * TEAM_SIZE + j), name: `Team member ${i * TEAM_SIZE + j + 1}`, lineManagerId: p.userId })));
  // The comparison managers' teams answer the pulse too, so the scale is judged against them.
  const comparisonTeams = comparison.flatMap((c, i) => Array.from({ length: TEAM_SIZE }, (_, j) => ({ userId: u(400 + i * TEAM_SIZE + j), name: `Team member ${100 + i * TEAM_SIZE + j + 1}`, lineManagerId: c.userId })));
  await bulkWrite(
    User,
    [
      ...[...participants, ...comparison].map((m, i) => ({ ...m, roles: ['manager'], orgUnit: unit(i), jobLevel: 'M2', lineManagerId: sponsorId })),
      ...[...teams, ...comparisonTeams].map((t) => ({ ...t, roles: ['team_member'], orgUnit: 'Operations', jobLevel: 'IC2' })),
    ].map((user) => {
      const email = `${user.userId.slice(-6)}@contoso.example`;
      return { updateOne: { filter: { tenantId, userId: user.userId }, update: { $setOnInsert: { tenantId, timeZone: 'Europe/London', email, demo: true, ...listKeys(user.name, email), ...user } }, upsert: true } };
    }),
  );

  // Midnight UTC 120 days ago, so the plan reads in whole hours as an owner would plan it.
  const start = Math.floor((now - 120 * DAY) / DAY) * DAY;
  const plan = [
    ['kickoff', 'Kickoff with the COO', 0],
    ['workshop', 'Workshop: from directing to coaching', 3],
    ['role_play', 'Role-play: the coaching conversation', 10],
    ['close_out', 'Close-out and results review', 40],
  ] as const;
  const planned = plan.map(([kind, title, d]) => ({ kind, title, startsAt: new Date(start + d * DAY + 9 * 3600_000), durationMinutes: 90, timeZone: 'Europe/London', location: 'London HQ' }));
  const programme = await Programme.create({
    tenantId,
    seedKey: 'demo-completed-pilot',
    title: 'Coaching pilot: Operations team leads (spring)',
    kind: 'pilot',
    status: 'completed',
    summary: 'Eight team leads in Operations practised collaborative coaching for six weeks, with the COO coached first.',
    goals: 'Team members feel heard; fewer absences; better performance reviews.',
    hypothesis: 'Participants’ teams report feeling heard more, and absence falls, compared with managers who did not take part.',
    eligibility: { userIds: [...participants, ...comparison].map((m) => m.userId), orgUnits: [], jobLevels: [] },
    capacityPerCohort: 8,
    cohortCount: 1,
    enrolmentOpensAt: new Date(start - 30 * DAY),
    enrolmentClosesAt: new Date(start - 7 * DAY),
    metrics: ['coaching_scale', 'absence_days', 'performance_rating', 'team_pulse_heard'],
    primaryMetric: 'coaching_scale',
    pulseItems: [...DEFAULT_PULSE_ITEMS],
    comparison: { mode: 'matched', userIds: [] },
    // The design's session plan, as the owner planned it; the cohort's sessions are made from it.
    sessionPlan: planned,
    sponsorIds: [sponsorId],
    sponsorRule: 'any',
    sponsorDecisions: {
      [sponsorId]: { decision: 'approved', commitments: { attendKickoff: true, coachedFirst: true, coachedAt: new Date(start - 30 * DAY), reviewResultsBy: new Date(now + 14 * DAY).toISOString().slice(0, 10), ownWords: 'I will be coached first and open the kickoff myself.' }, reason: '', decidedAt: new Date(start - 40 * DAY) },
    },
    submittedAt: new Date(start - 45 * DAY),
    locked: { at: new Date(start - 40 * DAY), metrics: ['coaching_scale', 'absence_days', 'performance_rating', 'team_pulse_heard'], primaryMetric: 'coaching_scale', pulseItems: [...DEFAULT_PULSE_ITEMS], baselinePeriod: 'before', followUpPeriod: 'after', comparison: { mode: 'matched', userIds: [] } },
    createdBy: ownerId,
  });
  const cohort = await Cohort.create({ tenantId, programmeId: programme._id, name: 'Cohort A', capacity: 8 });
  const sessions = await SessionPlan.insertMany(
    planned.map((p) => ({ tenantId, programmeId: programme._id, cohortId: cohort._id, ...p, feedbackRequestedAt: new Date(p.startsAt.getTime() - 9 * 3600_000) })),
  );
  const enrolments = await Enrolment.insertMany(participants.map((p, i) => ({ tenantId, programmeId: programme._id, cohortId: cohort._id, userId: p.userId, status: 'completed', attempt: 1, requestedAt: new Date(start - 20 * DAY + i * 3600_000), decidedAt: new Date(start - 20 * DAY + i * 3600_000 + 5000) })));
  await ParticipantSession.insertMany(enrolments.flatMap((e) => sessions.map((s) => ({ tenantId, enrolmentId: e._id, sessionId: s._id, programmeId: programme._id, userId: e.userId }))));
  await Attendance.insertMany([
    { tenantId, sessionId: sessions[0]!._id, programmeId: programme._id, userId: sponsorId, attendance: 'attended', recordedBy: ownerId },
    ...enrolments.flatMap((e, i) => sessions.map((s, j) => ({ tenantId, sessionId: s._id, programmeId: programme._id, userId: e.userId, attendance: (i + j) % 7 === 3 ? 'no_show' : 'attended', recordedBy: ownerId }))),
  ]);

  const rolePlay = sessions.find((s) => s.kind === 'role_play')!;
  await seedDemoPractice(deps, tenantId, programme._id, rolePlay, participants.map((p) => p.userId), sequence(7)); // its own sequence: the figures below stay as they were

  // Outcomes: participants' absence falls by about two days; the comparison group barely moves.
  const importId = 'demo-seed';
  const rows: { personId: string; metric: string; period: string; value: number }[] = [];
  for (const p of participants) {
    const before = 5 + Math.round(rand() * 4);
    rows.push({ personId: p.userId, metric: 'absence_days', period: 'before', value: before }, { personId: p.userId, metric: 'absence_days', period: 'after', value: Math.max(0, before - 1 - Math.round(rand() * 2)) });
    const rating = 3 + Math.round(rand() * 4) / 10;
    // Ratings barely move in six weeks: a result too small to tell from none, with the effect the pilot could have detected.
    rows.push({ personId: p.userId, metric: 'performance_rating', period: 'before', value: rating }, { personId: p.userId, metric: 'performance_rating', period: 'after', value: Math.round((rating + (rand() - 0.4) * 0.4) * 10) / 10 });
  }
  for (const c of comparison) {
    const before = 5 + Math.round(rand() * 4);
    rows.push({ personId: c.userId, metric: 'absence_days', period: 'before', value: before }, { personId: c.userId, metric: 'absence_days', period: 'after', value: before + Math.round(rand() * 2) - 1 });
    const rating = 3 + Math.round(rand() * 4) / 10;
    rows.push({ personId: c.userId, metric: 'performance_rating', period: 'before', value: rating }, { personId: c.userId, metric: 'performance_rating', period: 'after', value: Math.round((rating + (rand() - 0.5) * 0.3) * 10) / 10 });
  }
  await OutcomeValue.insertMany(rows.map((r) => ({ tenantId, importId, ...r })), { ordered: false });

  // Team pulses before and after, answered by most of each team (closed requests, anonymous responses);
  // participants' teams see their manager change, the comparison teams do not.
  const requests = [];
  const responses = [];
  const coached = new Set(participants.map((p) => p.userId));
  for (const phase of ['baseline', 'post'] as const) {
    for (const t of [...teams, ...comparisonTeams]) {
      const answered = rand() > 0.1;
      requests.push({ tenantId, key: `pulse-${String(programme._id)}-${phase}-${t.userId}`, kind: 'pulse', recipientId: t.userId, programmeId: programme._id, managerId: t.lineManagerId, phase, status: answered ? 'answered' : 'closed_unanswered', timeZone: 'Europe/London', sentAt: new Date(phase === 'baseline' ? start - 5 * DAY : start + 45 * DAY) });
      if (!answered) continue;
      // One view of the manager per person, each statement near it: the scale hangs together (alpha about 0.8).
      const view = 2.8 + (phase === 'post' ? (coached.has(t.lineManagerId) ? 0.8 : 0.1) : 0) + (rand() - 0.5) * 1.6;
      const score = () => Math.max(1, Math.min(5, Math.round(view + (rand() - 0.5) * 1.4)));
      responses.push({ _id: randomUUID(), tenantId, programmeId: programme._id, managerId: t.lineManagerId, phase, scores: Object.fromEntries(DEFAULT_PULSE_ITEMS.map((k) => [k, score()])), day: new Date(phase === 'baseline' ? start - 3 * DAY : start + 47 * DAY).toISOString().slice(0, 10) });
    }
  }
  await FeedbackRequest.insertMany(requests, { ordered: false });
  await PulseResponse.insertMany(responses, { ordered: false });
  deps.log.info({ tenantId, programmeId: String(programme._id) }, 'seeded demo results');
}
