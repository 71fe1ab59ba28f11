import { lifecycleProblems, type LifecycleFacts } from '../../service/src/domain/programme';
import { DEMO_TENANT, DEMO_USERS } from '../../service/src/usecases/seed-demo';
import { seedDemoInto } from '../support/demo';
import { Stack } from '../support/stack';

const tenantId = DEMO_TENANT.tenantId;
const userId = (name: string) => DEMO_USERS.find((u) => u.name === name)!.userId;

/**
 * The demo organisation holds only what the product itself could have produced: every programme
 * agrees with the lifecycle rules, its cohorts, sessions, enrolments and attendance agree with its
 * state, and the owner's list, the sponsor's page and the results tell one story.
 */
describe('the demo organisation is consistent with the lifecycle rules', () => {
  let stack: Stack;
  const token = async (name: string) => (await stack.request('POST', '/api/dev/token', { body: { userId: userId(name) } })).json.token as string;

  beforeAll(async () => {
    stack = await Stack.start({}, { startWorkers: false });
    await seedDemoInto(stack.models);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  test('every programme, its cohorts, sessions, enrolments and attendance agree with its state', async () => {
    const { Programme, Cohort, SessionPlan, Enrolment, Attendance } = stack.models;
    const programmes = await Programme.find({ tenantId }).lean();
    expect(programmes.map((p) => p.status).sort()).toEqual(['completed', 'enrolling']);
    const now = Date.now();
    for (const p of programmes) {
      expect([p.title, lifecycleProblems(p as unknown as LifecycleFacts)]).toEqual([p.title, []]);
      const cohorts = await Cohort.find({ tenantId, programmeId: p._id }).lean();
      const sessions = await SessionPlan.find({ tenantId, programmeId: p._id }).lean();
      // Cohorts and their sessions exist from "enrolment opened" on, one set of sessions per cohort.
      expect(cohorts).toHaveLength(p.cohortCount ?? 1);
      // Each cohort has the design's sessions, as "enrolment opened" makes them.
      const design = (p.sessionPlan ?? []).map((s) => `${s.title}@${new Date(s.startsAt!).toISOString()}`).sort();
      expect(design.length).toBeGreaterThan(0);
      for (const c of cohorts) expect(sessions.filter((s) => s.cohortId.equals(c._id)).map((s) => `${s.title}@${s.startsAt.toISOString()}`).sort()).toEqual(design);
      const enrolments = await Enrolment.find({ tenantId, programmeId: p._id }).lean();
      for (const e of enrolments) expect(cohorts.some((c) => c._id.equals(e.cohortId!))).toBe(true);
      if (p.status === 'completed') expect(enrolments.every((e) => ['completed', 'withdrawn'].includes(e.status))).toBe(true);
      if (p.status === 'enrolling') expect(enrolments.every((e) => !['completed'].includes(e.status))).toBe(true);
      // Attendance only for sessions that have started.
      const attendance = await Attendance.find({ tenantId, programmeId: p._id }).lean();
      for (const a of attendance) {
        const session = sessions.find((s) => s._id.equals(a.sessionId));
        expect(session && session.startsAt.getTime() <= now).toBe(true);
      }
    }
  });

  test('the owner, the sponsor and the results say the same about sponsorship', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-pilot' }).lean())!;
    const owner = await stack.request('GET', '/api/programmes', { token: await token('Priya Raman') });
    const listed = owner.json.programmes.find((p: { id: string }) => p.id === String(pilot._id));
    expect(listed.status).toBe('enrolling');
    expect(listed.sponsors).toEqual([expect.objectContaining({ name: 'Dana Whitfield', decision: expect.objectContaining({ decision: 'approved' }) })]);

    const sponsor = await stack.request('GET', '/api/me/sponsorships', { token: await token('Dana Whitfield') });
    expect(sponsor.json.awaiting).toEqual([]);
    const completed = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-completed-pilot' }).lean())!;
    expect(sponsor.json.decided.map((p: { id: string }) => p.id).sort()).toEqual([String(pilot._id), String(completed._id)].sort());
    // Her follow-through on each, from each programme's own kickoff: she attended the completed
    // pilot's and said she was coached; the open pilot's kickoff is still ahead.
    const kept = (id: unknown) => Object.fromEntries(sponsor.json.decided.find((p: { id: string }) => p.id === String(id)).followThrough.map((c: { key: string; status: string }) => [c.key, c.status]));
    expect(kept(completed._id)).toMatchObject({ attend_kickoff: 'kept', coached_first: 'kept' });
    expect(kept(pilot._id)).toMatchObject({ attend_kickoff: 'pending', coached_first: 'pending' });
    // The results page says the same.
    const results = await stack.request('GET', `/api/programmes/${String(completed._id)}/commitments`, { token: await token('Priya Raman') });
    expect(Object.fromEntries(results.json.sponsors[0].commitments.map((c: { key: string; status: string }) => [c.key, c.status]))).toEqual(kept(completed._id));

    // Planned as the design form advises: no session on a weekend, a public holiday or outside the working day.
    const check = await stack.request('POST', '/api/programmes/session-check', {
      token: await token('Priya Raman'),
      body: { sessions: pilot.sessionPlan!.map((s) => ({ title: s.title, startsAt: new Date(s.startsAt!).toISOString(), durationMinutes: s.durationMinutes, timeZone: s.timeZone })) },
    });
    expect(check.json).toEqual({ warnings: [] });

    const detail = await stack.request('GET', `/api/programmes/${String(pilot._id)}`, { token: await token('Priya Raman') });
    expect(detail.json.programme.locked).not.toBeNull();
    // Enrolment is open: the invited managers can enrol into the prepared cohort.
    const manager = await stack.request('GET', '/api/me/programmes', { token: await token('Maria López') });
    expect(manager.status).toBe(200);
    expect(JSON.stringify(manager.json)).toContain(String(pilot._id));
  });

  test('the demo is written through the use-cases: audited as its people, and seeding again changes nothing', async () => {
    const pilot = (await stack.models.Programme.findOne({ tenantId, seedKey: 'demo-pilot' }).lean())!;
    const target = `programme:${String(pilot._id)}`;
    const trail = await stack.models.AuditEvent.find({ tenantId, target }).sort({ at: 1, _id: 1 }).lean();
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ['programme.create', userId('Priya Raman')],
      ['programme.submit', userId('Priya Raman')],
      ['programme.approve', userId('Dana Whitfield')],
      ['programme.open_enrolment', userId('Priya Raman')],
    ]);
    const before = { programmes: await stack.models.Programme.countDocuments({ tenantId }), audit: await stack.models.AuditEvent.countDocuments({ tenantId }), sessions: await stack.models.SessionPlan.countDocuments({ tenantId }), notices: await stack.models.Notification.countDocuments({ tenantId }) };
    await seedDemoInto(stack.models);
    expect({ programmes: await stack.models.Programme.countDocuments({ tenantId }), audit: await stack.models.AuditEvent.countDocuments({ tenantId }), sessions: await stack.models.SessionPlan.countDocuments({ tenantId }), notices: await stack.models.Notification.countDocuments({ tenantId }) }).toEqual(before);
    // The invitations enrolment opening sends are there, once each.
    expect(before.notices).toBeGreaterThan(0);
  });

  test("demo sign-in tokens name the person's roles as Entra's app-role claim (the tab's hint), while the API takes roles from the directory", async () => {
    const priya = DEMO_USERS.find((u) => u.name === 'Priya Raman')!;
    const priyaToken = await token('Priya Raman');
    const claims = JSON.parse(Buffer.from(priyaToken.split('.')[1]!, 'base64url').toString('utf8')) as { roles?: string[] };
    expect(claims.roles).toEqual(expect.arrayContaining(priya.roles.map((r) => `Coaching.${r === 'team_member' ? 'TeamMember' : r[0]!.toUpperCase() + r.slice(1)}`)));
    expect(claims.roles).toHaveLength(priya.roles.length);
    // The directory, not the claim, decides: with every role taken away there, the token's claim grants nothing.
    // The roles change the way an admin changes them, which also drops the API's sign-in cache for
    // Priya: a token minted in the same second as an earlier one of hers is the same string.
    const admin = await token('Taylor Brooks');
    const setRoles = async (roles: string[]) => expect((await stack.request('PUT', `/api/admin/users/${priya.userId}/roles`, { token: admin, body: { roles } })).status).toBe(200);
    await setRoles([]);
    try {
      const me = await stack.request('GET', '/api/me', { token: priyaToken });
      expect(me.status).toBe(200);
      expect(me.json.roles).toEqual([]);
    } finally {
      await setRoles([...priya.roles]);
    }
  });
});
