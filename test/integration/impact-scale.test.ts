import { randomUUID } from 'node:crypto';
import { cronbachAlpha } from '../../service/src/domain/impact';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, validDesign, type TestUser } from '../support/fixtures';
import { Stack } from '../support/stack';

/** The metric catalogue, the primary metric, the coaching-behaviour scale with its alpha, and the interval by org unit. */
describe('what a programme is judged on', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let owner: TestUser;
  let admin: TestUser;
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });
  const call = async (method: string, path: string, who: [TestUser, keyof typeof APP_ROLE], body?: unknown) => stack.request(method, path, { token: await as(...who), ...(body === undefined ? {} : { body }) });
  const importCsv = async (csv: string, mode: 'preview' | 'commit') =>
    stack.request('POST', `/api/outcomes/import?mode=${mode}`, { token: await as(owner, 'owner'), rawBody: csv, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() }, { startWorkers: false });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
    [admin] = (await createUsers(stack.models, tenantId, 1, ['admin'])) as [TestUser];
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test("the admin's catalogue decides which metrics a programme may choose and an import may feed", async () => {
    const listed = await call('GET', '/api/metrics', [owner, 'owner']);
    expect(listed.status).toBe(200);
    expect(listed.json.metrics.find((m: { key: string }) => m.key === 'coaching_scale')).toMatchObject({ source: 'in_app', min: 1, max: 5, builtIn: true });

    const nps = { key: 'team_nps', label: 'Team NPS', unit: 'points', direction: 'higher_is_better', min: -100, max: 100 };
    expect((await call('POST', '/api/admin/metrics', [owner, 'owner'], nps)).status).toBe(403);
    const added = await call('POST', '/api/admin/metrics', [admin, 'admin'], nps);
    expect(added.status).toBe(201);
    expect(added.json.metric).toMatchObject({ key: 'team_nps', source: 'imported', builtIn: false, archived: false });
    expect((await call('POST', '/api/admin/metrics', [admin, 'admin'], nps)).status).toBe(409);
    expect((await call('POST', '/api/admin/metrics', [admin, 'admin'], { ...nps, key: 'absence_days' })).status).toBe(409);
    const badKey = await call('POST', '/api/admin/metrics', [admin, 'admin'], { ...nps, key: 'Team NPS' });
    expect([badKey.status, badKey.headers.get('content-type')]).toEqual([400, expect.stringContaining('problem+json')]);
    expect((await call('POST', '/api/admin/metrics', [admin, 'admin'], { ...nps, key: 'upside_down', min: 5, max: 1 })).status).toBe(422);
    expect((await stack.models.Metric.countDocuments({ tenantId })).valueOf()).toBe(1);

    // A free-text metric that nothing could ever feed is refused; catalogue ones are taken, the primary one named.
    const unknown = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['wellbeing'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([{ path: 'body.metrics.0', message: expect.stringContaining('catalogue') }]);
    const created = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['coaching_scale', 'team_nps'], primaryMetric: 'team_nps' }));
    expect(created.status).toBe(201);
    expect(created.json.programme).toMatchObject({ metrics: ['coaching_scale', 'team_nps'], primaryMetric: 'team_nps', pulseItems: ['asksQuestions', 'holdsBack', 'thinksThrough', 'soundingBoard', 'listens', 'feelHeard'] });
    const notChosen = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['coaching_scale'], primaryMetric: 'team_nps' }));
    expect(notChosen.json.errors).toEqual([{ path: 'body.primaryMetric', message: expect.any(String) }]);
    const twoItems = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['coaching_scale'], pulseItems: ['listens', 'feelHeard'] }));
    expect(twoItems.json.errors).toEqual([{ path: 'body.pulseItems', message: expect.stringContaining('at least 3') }]);
    const heardWithoutItem = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['team_pulse_heard'], pulseItems: ['listens', 'holdsBack', 'asksQuestions'] }));
    expect(heardWithoutItem.json.errors).toEqual([{ path: 'body.pulseItems', message: expect.stringContaining('I feel heard') }]);
    const unknownItem = await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ pulseItems: ['listens', 'feelHeard', 'tellsJokes'] }));
    expect(unknownItem.status).toBe(400);
    const changed = await call('PUT', `/api/programmes/${created.json.programme.id}/metrics`, [owner, 'owner'], { metrics: ['team_nps', 'made_up'] });
    expect([changed.status, changed.json.errors]).toEqual([422, [{ path: 'body.metrics.1', message: expect.any(String) }]]);

    // An import feeds only imported catalogue metrics, within their range.
    const [person] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const csv = ['person_id,metric,period,value', `${person!.userId},team_nps,before,40`, `${person!.userId},team_nps,after,140`, `${person!.userId},coaching_scale,before,3`, `${person!.userId},wellbeing,before,3`].join('\n');
    const preview = await importCsv(csv, 'preview');
    expect(preview.json).toMatchObject({ rows: 4, valid: 1, errorCount: 3 });
    expect(preview.json.errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
      [3, expect.stringContaining('outside')],
      [4, expect.stringContaining('in-app pulse')],
      [5, expect.stringContaining('catalogue')],
    ]);

    // Archived: kept where already chosen, offered to nobody new; built-in metrics cannot be changed.
    const archived = await call('PATCH', '/api/admin/metrics/team_nps', [admin, 'admin'], { archived: true, label: 'Team NPS (old survey)' });
    expect(archived.json.metric).toMatchObject({ archived: true, label: 'Team NPS (old survey)' });
    expect((await call('POST', '/api/programmes', [owner, 'owner'], validDesign({ metrics: ['team_nps'] }))).json.errors).toEqual([{ path: 'body.metrics.0', message: expect.stringContaining('archived') }]);
    const kept = await call('PUT', `/api/programmes/${created.json.programme.id}`, [owner, 'owner'], validDesign({ metrics: ['coaching_scale', 'team_nps'], primaryMetric: 'coaching_scale' }));
    expect([kept.status, kept.json.programme?.primaryMetric]).toEqual([200, 'coaching_scale']);
    expect((await call('PATCH', '/api/admin/metrics/absence_days', [admin, 'admin'], { label: 'Sick days' })).status).toBe(409);
    expect((await call('PATCH', '/api/admin/metrics/never_added', [admin, 'admin'], { label: 'Nothing' })).status).toBe(404);
    const audit = await stack.models.AuditEvent.find({ tenantId, action: { $in: ['metric.add', 'metric.change'] } }).lean();
    expect(audit.map((a) => a.action).sort()).toEqual(['metric.add', 'metric.change']);
  });

  test('the primary metric is judged first; the scale is a metric with its alpha; colleagues in one org unit get an interval of their own', async () => {
    // 24 managers in 12 org units: in each, one takes part and one does not.
    const managers: TestUser[] = [];
    for (let u = 0; u < 12; u++) managers.push(...(await createUsers(stack.models, tenantId, 2, ['manager'], { orgUnit: `Unit ${u}` })));
    const treated = managers.filter((_, i) => i % 2 === 0);
    const others = managers.filter((_, i) => i % 2 === 1);
    const items = ['asksQuestions', 'holdsBack', 'listens', 'feelHeard'];
    const p = await createOpenProgramme(stack.models, tenantId, 20);
    const metrics = ['performance_rating', 'coaching_scale'];
    await stack.models.Programme.updateOne(
      { _id: p.programmeId },
      {
        $set: {
          createdBy: owner.userId,
          eligibility: { userIds: managers.map((m) => m.userId), orgUnits: [], jobLevels: [] },
          metrics,
          pulseItems: items,
          locked: { at: new Date(), metrics, primaryMetric: 'coaching_scale', pulseItems: items, baselinePeriod: 'before', followUpPeriod: 'after', comparison: { mode: 'all_eligible', userIds: [] } },
        },
      },
    );
    await stack.models.Enrolment.insertMany(treated.map((m) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: m.userId, status: 'confirmed', requestedAt: new Date() })));

    // Five answers per team and phase: each person has one view of the manager and rates each statement near it.
    const rows: Record<'baseline' | 'post', number[][]> = { baseline: [], post: [] };
    const answers = treated.flatMap((m, t) =>
      (['baseline', 'post'] as const).flatMap((phase) =>
        Array.from({ length: 5 }, (_, r) => {
          const view = 2 + ((t + r) % 3) * 0.8 + (phase === 'post' ? 0.4 + (t % 4) * 0.2 : 0);
          const scores = items.map((_, k) => Math.max(1, Math.min(5, Math.round(view + ((r + k) % 3) * 0.5 - 0.5))));
          rows[phase].push(scores);
          return { _id: randomUUID(), tenantId, programmeId: p.programmeId, managerId: m.userId, phase, scores: Object.fromEntries(items.map((k, j) => [k, scores[j]])), day: '2026-11-01' };
        }),
      ),
    );
    // The comparison managers' teams are asked too (the same five a phase), and see no change.
    const comparisonAnswers = others.flatMap((m, t) =>
      (['baseline', 'post'] as const).flatMap((phase) =>
        Array.from({ length: 5 }, (_, r) => {
          const view = 2 + ((t + r) % 3) * 0.8 + (phase === 'post' ? ((t % 2) - 0.5) * 0.2 : 0);
          const scores = items.map((_, k) => Math.max(1, Math.min(5, Math.round(view + ((r + k) % 3) * 0.5 - 0.5))));
          rows[phase].push(scores);
          return { _id: randomUUID(), tenantId, programmeId: p.programmeId, managerId: m.userId, phase, scores: Object.fromEntries(items.map((k, j) => [k, scores[j]])), day: '2026-11-01' };
        }),
      ),
    );
    await stack.models.PulseResponse.insertMany([...answers, ...comparisonAnswers]);
    // Ratings: participants up by about half a point; in each unit the comparison manager moves with them a little.
    const csv = ['person_id,metric,period,value'];
    managers.forEach((m, i) => {
      const unit = Math.floor(i / 2);
      const shared = (unit % 3) * 0.1;
      csv.push(`${m.userId},performance_rating,before,3`, `${m.userId},performance_rating,after,${(3 + shared + (i % 2 === 0 ? 0.5 + (unit % 2) * 0.2 : 0)).toFixed(2)}`);
    });
    expect((await importCsv(csv.join('\n'), 'commit')).json.errorCount).toBe(0);

    // While one team member has not yet answered after, the after phase counts for nothing (figures changing answer by answer could be subtracted).
    const pending = await stack.models.FeedbackRequest.create({ tenantId, key: `pulse-${randomUUID()}`, kind: 'pulse', recipientId: randomUUID(), programmeId: p.programmeId, managerId: treated[0]!.userId, phase: 'post', status: 'open', timeZone: 'UTC', sentAt: new Date() });
    const collecting = (await call('GET', `/api/programmes/${p.programmeId}/impact`, [owner, 'owner'])).json;
    expect(collecting.scale.collecting).toEqual(['post']);
    expect(collecting.analyses[0].treated).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(collecting.analyses[0].attrition.treated).toMatchObject({ total: 12, analysed: 0, missingFollowUp: 12 });
    expect(collecting.analyses[0].comparison.suppressed).toBe(true);
    await stack.models.FeedbackRequest.updateOne({ _id: pending._id }, { $set: { status: 'closed_unanswered' } });

    const impact = (await call('GET', `/api/programmes/${p.programmeId}/impact`, [owner, 'owner'])).json;
    expect(impact.scale.collecting).toEqual([]);
    expect(impact.locked.primaryMetric).toBe('coaching_scale');
    const [scale, rating] = impact.analyses;
    expect([scale.metric, scale.primary, rating.metric, rating.primary]).toEqual(['coaching_scale', true, 'performance_rating', false]);
    // Participants' teams against the comparison managers' teams.
    expect(scale).toMatchObject({ source: 'team_pulse', unit: 'points', range: { min: 1, max: 5 }, basis: 'difference_in_differences' });
    expect([scale.treated.n, scale.comparison.n]).toEqual([12, 12]);
    expect(scale.did.estimate).toBeGreaterThan(0);
    expect(impact.scale.items.map((i: { key: string }) => i.key)).toEqual(items);
    expect(impact.scale.items[0].statement).toMatch(/asks questions/);
    for (const phase of ['baseline', 'post'] as const) {
      const a = impact.scale.alpha.find((x: { phase: string }) => x.phase === phase);
      expect(a.n).toBe(120);
      expect(a.value).toBeCloseTo(cronbachAlpha(rows[phase])!, 9);
    }
    // Each unit holds a participant and a comparison manager: the second interval allows for them moving together.
    expect(scale.clustered).toMatchObject({ clusters: 12, df: 11 });
    // The ratings compare participants with the manager beside them in each of the 12 units.
    expect(rating.basis).toBe('difference_in_differences');
    expect(rating.clustered).toMatchObject({ clusters: 12, df: 11 });
    expect(rating.clustered.estimate).toBeCloseTo(rating.did.estimate, 9);
    expect(impact.assumptions.join(' ')).toMatch(/org unit/);
  });

  test('a file whose quotes never close is refused at the record where it breaks, and nothing is stored', async () => {
    const [person] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const csv = ['person_id,metric,period,value', `${person!.userId},absence_days,before,3`, `"${person!.userId},absence_days,after,2`, `${person!.userId},absence_days,after,1`].join('\n');
    const commit = await importCsv(csv, 'commit');
    expect(commit.status).toBe(422);
    expect(commit.json.errors).toEqual([{ line: 3, message: expect.stringContaining('never closed') }]);
    expect(await stack.models.OutcomeValue.countDocuments({ tenantId, personId: person!.userId })).toBe(0);
  });

  test('a pulse answer covers exactly the statements the programme asks', async () => {
    const [manager] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const [member] = await createUsers(stack.models, tenantId, 1, ['team_member']);
    const p = await createOpenProgramme(stack.models, tenantId, 5);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { pulseItems: ['asksQuestions', 'listens', 'feelHeard'] } });
    const request = await stack.models.FeedbackRequest.create({ tenantId, key: `pulse-${randomUUID()}`, kind: 'pulse', recipientId: member!.userId, programmeId: p.programmeId, managerId: manager!.userId, managerName: manager!.name, phase: 'baseline', status: 'open', timeZone: 'Europe/London', sentAt: new Date(Date.now() - 1000) });
    // The form's promise of anonymity names the organisation's own minimum group size.
    await stack.models.Tenant.updateOne({ tenantId }, { $set: { minGroupSize: 7 } }, { upsert: true });
    const mine = await call('GET', '/api/me/feedback', [member!, 'team_member']);
    expect(mine.json.requests[0].statements.map((s: { key: string }) => s.key)).toEqual(['asksQuestions', 'listens', 'feelHeard']);
    expect(mine.json.requests[0].minGroupSize).toBe(7);
    const answer = (scores: Record<string, number>) => call('POST', `/api/feedback/${String(request._id)}/answer`, [member!, 'team_member'], { kind: 'pulse', scores });
    const missing = await answer({ asksQuestions: 4, listens: 3 });
    expect([missing.status, missing.json.errors]).toEqual([422, [{ path: 'body.scores', message: expect.stringContaining('1 left') }]]);
    expect((await answer({ asksQuestions: 4, listens: 3, feelHeard: 5, holdsBack: 2 })).status).toBe(422);
    expect((await answer({ asksQuestions: 4, listens: 3, feelHeard: 6 })).status).toBe(400);
    expect(await stack.models.FeedbackRequest.countDocuments({ _id: request._id, status: 'open' })).toBe(1);
    expect((await answer({ asksQuestions: 4, listens: 3, feelHeard: 5 })).status).toBe(200);
    expect((await stack.models.PulseResponse.findOne({ tenantId, programmeId: p.programmeId }).lean())!.scores).toEqual({ asksQuestions: 4, listens: 3, feelHeard: 5 });
  });
});
