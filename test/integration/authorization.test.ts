import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '../../service/src/domain/roles';
import { POLICY, isAllowed } from '../../service/src/http/policy';
import { policyMarkdown } from '../../service/src/http/policy-doc';
import type { RouteDef } from '../../service/src/http/route';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, validDesign } from '../support/fixtures';
import { fillPath, routeDefinitions } from '../support/routes';
import { Stack } from '../support/stack';

/** Every route × every role against a running API, the docs table, and tenant isolation. */
describe('authorisation', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  let routes: RouteDef[];
  const tenantA = randomUUID();
  const tenantB = randomUUID();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), RATE_LIMIT_IP_PER_MIN: '100000', RATE_LIMIT_USER_PER_MIN: '100000' } });
    routes = await routeDefinitions();
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('docs/authorization.md is the table generated from the policy', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/authorization.md'), 'utf8');
    expect(doc).toBe(policyMarkdown(routes));
  });

  test('every protected route × every role → allowed, or 403 problem+json', async () => {
    const protectedRoutes = routes.filter((r) => POLICY[r.id] !== 'public');
    expect(protectedRoutes.length).toBeGreaterThan(5);
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const role of [...ROLES, 'none' as const]) {
      const token = await entra.token({ tenantId: tenantA, userId: randomUUID(), roles: role === 'none' ? [] : [APP_ROLE[role as Role]] });
      for (const r of protectedRoutes) {
        const res = await stack.request(r.method.toUpperCase(), fillPath(r.path, {}), { token, body: r.body ? {} : undefined });
        const allowed = isAllowed(POLICY[r.id], role === 'none' ? [] : [role]);
        outcomes.push(`${role} ${r.id} ${res.status === 403 ? 'forbidden' : res.status === 401 || res.status >= 500 ? `broken ${res.status}` : 'allowed'}`);
        expected.push(`${role} ${r.id} ${allowed ? 'allowed' : 'forbidden'}`);
        if (res.status === 403) expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    expect(outcomes).toEqual(expected);
  });

  test('public routes need no token; protected ones answer 401 without one', async () => {
    for (const r of routes) {
      const res = await stack.request(r.method.toUpperCase(), fillPath(r.path, {}), { body: r.body ? {} : undefined });
      if (POLICY[r.id] === 'public') expect([r.id, res.status === 401]).toEqual([r.id, false]);
      else expect([r.id, res.status]).toEqual([r.id, 401]);
    }
  });

  test("tenant B, with every role, cannot read or change tenant A's data, nor learn that its ids exist", async () => {
    const [managerA] = await createUsers(stack.models, tenantA, 1, ['manager']);
    // An erasure of A's manager, asked for and waiting for confirmation.
    const erasureId = randomUUID().replace(/-/g, '');
    await stack.models.Erasure.create({ _id: erasureId, tenantId: tenantA, state: 'requested', userId: managerA!.userId, key: 'k', requestedBy: 'admin-a', requestedAt: new Date(), confirmBy: new Date(Date.now() + 600_000) });
    const a = await createOpenProgramme(stack.models, tenantA, 3);
    const tokenA = await entra.token({ tenantId: tenantA, userId: managerA!.userId, roles: [APP_ROLE.manager] });
    const enrolled = await stack.request('POST', `/api/programmes/${a.programmeId}/enrolments`, { token: tokenA, body: { cohortId: a.cohortId } });
    const enrolmentId = enrolled.json.enrolment.id as string;
    await stack.eventually(async () => {
      const e = await stack.models.Enrolment.findById(enrolmentId).lean();
      // Settled: no event still on its way, and the allocator's last write (the cohort's decided turns) done.
      return e?.status === 'confirmed' && e.outbox.length === 0 && ((await stack.models.Cohort.findById(a.cohortId).lean())?.turnsDecided ?? 0) >= 1;
    }, 20000, 'A confirmed');
    const sessionA = await stack.models.SessionPlan.findOne({ tenantId: tenantA, programmeId: a.programmeId }).lean();
    // A's practice: a scenario of its own and a room with a round under way.
    await stack.models.Scenario.create({ tenantId: tenantA, key: 'a-own-scenario', title: 'Secret scenario', situation: 'A situation of A', practisingBrief: 'Brief of A', partnerBrief: 'Private brief of A', createdBy: managerA!.userId });
    const roomA = await stack.models.PracticeRoom.create({ tenantId: tenantA, sessionId: sessionA!._id, programmeId: a.programmeId, number: 1, members: [managerA!.userId, 'm2', 'm3'], roundMinutes: 10, scenarioKeys: ['a-own-scenario'], openedBy: 'coach-a' });
    await stack.models.PracticeRound.create({ tenantId: tenantA, roomId: roomA._id, sessionId: sessionA!._id, programmeId: a.programmeId, index: 0, scenarioKey: 'a-own-scenario', practisingId: managerA!.userId, partnerId: 'm2', observerIds: ['m3'], startedAt: new Date(), endsAt: new Date(Date.now() + 600_000) });
    const snapshot = async () =>
      JSON.stringify(await Promise.all([
        stack.models.Enrolment.find({ tenantId: tenantA }).lean(), stack.models.User.find({ tenantId: tenantA }, { lastSignInAt: 0, updatedAt: 0 }).lean(), stack.models.Cohort.find({ tenantId: tenantA }).lean(),
        stack.models.SessionPlan.find({ tenantId: tenantA }).lean(),
        stack.models.Attendance.find({ tenantId: tenantA }).lean(),
        stack.models.Programme.find({ tenantId: tenantA }).lean(),
        stack.models.Erasure.find({ tenantId: tenantA }).lean(),
        stack.models.Scenario.find({ tenantId: tenantA }).lean(),
        stack.models.PracticeRoom.find({ tenantId: tenantA }).lean(),
        stack.models.PracticeRound.find({ tenantId: tenantA }).lean(),
        stack.models.PracticeTap.find({ tenantId: tenantA }).lean(),
      ]));
    const before = await snapshot();

    const tokenB = await entra.token({ tenantId: tenantB, userId: randomUUID(), name: 'Intruder', roles: Object.values(APP_ROLE) });
    const bookingA = await stack.models.ParticipantSession.findOne({ tenantId: tenantA, enrolmentId }).lean();
    const ids = { programmeId: a.programmeId, cohortId: a.cohortId, enrolmentId, userId: managerA!.userId, sessionId: String(sessionA!._id), erasureId, roomId: String(roomA._id), scenarioKey: 'a-own-scenario' };
    const bodies: Record<string, unknown> = {
      'enrolments.create': { cohortId: a.cohortId },
      'admin.users.roles': { roles: ['admin'] },
      'programmes.update': validDesign(),
      'programmes.submit': { sponsorIds: [managerA!.userId], rule: 'any' },
      'programmes.decide': { decision: 'decline', reason: 'Not for us' },
      'programmes.coached': { done: true },
      'programmes.transition': { action: 'withdraw' },
      'sessions.attendance.put': { records: [{ userId: managerA!.userId, attendance: 'attended' }] },
      'sessions.reschedule': { startsAt: new Date(Date.now() + 30 * 86400_000).toISOString(), durationMinutes: 60, location: 'x' },
      'notifications.read': { ids: ['a'.repeat(24)] },
      'programmes.metrics': { metrics: ['absence_days'] },
      'enrolments.approval': { approve: true },
      'feedback.answer': { kind: 'pulse', scores: { asksQuestions: 1, feelHeard: 1, supportNotInstructions: 1 } },
      'admin.metrics.change': { archived: true },
      'admin.erasures.confirm': { confirmation: managerA!.name },
      'practice.scenarios.change': { archived: true },
      'practice.rounds.start': { round: 1 },
      'practice.rounds.end': { round: 0 },
      'practice.taps.add': { id: 'tap-intruder-1', round: 0, code: 'advice' },
      'practice.rounds.rating': { round: 0, ownAnswer: 1, heard: 1 },
      'practice.rounds.markers': { round: 0, markers: [], note: 'x' },
    };
    for (const r of routes.filter((x) => POLICY[x.id] !== 'public')) {
      // The invite route takes a booking id in :sessionId.
      const pathIds = r.id === 'me.invite' ? { ...ids, sessionId: String(bookingA!._id) } : r.id === 'ops.retry' ? { ...ids, queue: 'enrolment', jobId: `enrolment-requested-${enrolmentId}` } : ids;
      const res = await stack.request(r.method.toUpperCase(), fillPath(r.path, pathIds), { token: tokenB, body: r.body ? (bodies[r.id] ?? {}) : undefined });
      if (r.path.includes(':')) expect([r.id, res.status]).toEqual([r.id, 404]);
      // `instance` echoes the caller's own URL; anything else naming A's ids or people would leak.
      const answer = JSON.stringify({ ...res.json, instance: undefined });
      for (const secret of Object.values(ids)) expect([r.id, answer.includes(secret)]).toEqual([r.id, false]);
      expect([r.id, answer.includes(managerA!.name)]).toEqual([r.id, false]);
    }
    expect(await snapshot()).toBe(before);
  });
});
