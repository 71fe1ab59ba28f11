import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, validDesign, type TestUser } from '../support/fixtures';
import { Stack } from '../support/stack';

/** Outcome import (preview, all-or-nothing commit, idempotent re-import) and the impact analysis wiring. */
describe('outcome data and impact', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let owner: TestUser;
  let managers: TestUser[];
  const as = (u: TestUser, role: keyof typeof APP_ROLE) => entra.token({ tenantId, userId: u.userId, name: u.name, roles: [APP_ROLE[role]] });
  const importCsv = async (csv: string, mode: 'preview' | 'commit') =>
    stack.request('POST', `/api/outcomes/import?mode=${mode}`, { token: await as(owner, 'owner'), rawBody: csv, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: entra.env() }, { startWorkers: false });
    [owner] = (await createUsers(stack.models, tenantId, 1, ['owner'])) as [TestUser];
    managers = await createUsers(stack.models, tenantId, 12, ['manager']);
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  test('preview reports per-row errors and stores nothing; a commit with errors stores nothing either', async () => {
    const csv = ['person_id,metric,period,value', `${managers[0]!.userId},absence_days,before,3`, `nobody,absence_days,before,2`, `${managers[1]!.userId},absence days,before,2`, `${managers[2]!.userId},absence_days,before,lots`, `"${managers[3]!.userId}",absence_days,before,"4"`].join('\n');
    const preview = await importCsv(csv, 'preview');
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ mode: 'preview', rows: 5, valid: 2, errorCount: 3 });
    expect(preview.json.errors.map((e: { line: number }) => e.line).sort()).toEqual([3, 4, 5]);
    expect(preview.json.errors.find((e: { line: number }) => e.line === 3).message).toContain('not a person');
    const commit = await importCsv(csv, 'commit');
    expect(commit.status).toBe(422);
    expect(await stack.models.OutcomeValue.countDocuments({ tenantId })).toBe(0);
    // Nothing staged is left behind either.
    expect((await stack.conn.db!.listCollections().toArray()).filter((c) => c.name.startsWith('outcome_import_'))).toEqual([]);
    const noHeader = await importCsv(`${managers[0]!.userId},absence_days,before,3`, 'preview');
    expect(noHeader.json.errors[0]).toEqual({ line: 1, message: expect.stringContaining('header') });
  });

  test('the same file twice changes nothing; a corrected figure updates just that one', async () => {
    const rows = managers.slice(0, 4).map((m, i) => `${m.userId},performance_rating,before,${3 + (i % 2)}`);
    const csv = ['person_id,metric,period,value', ...rows].join('\r\n') + '\r\n';
    const first = await importCsv(csv, 'commit');
    expect(first.json).toMatchObject({ inserted: 4, updated: 0, unchanged: 0, errorCount: 0 });
    const snapshot = JSON.stringify(await stack.models.OutcomeValue.find({ tenantId, metric: 'performance_rating' }, { value: 1, personId: 1, importId: 1 }).sort({ personId: 1 }).lean());
    const again = await importCsv(csv, 'commit');
    expect(again.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    expect(JSON.stringify(await stack.models.OutcomeValue.find({ tenantId, metric: 'performance_rating' }, { value: 1, personId: 1, importId: 1 }).sort({ personId: 1 }).lean())).toBe(snapshot);
    const corrected = csv.replace(`${managers[0]!.userId},performance_rating,before,3`, `${managers[0]!.userId},performance_rating,before,5`);
    expect((await importCsv(corrected, 'commit')).json).toMatchObject({ inserted: 0, updated: 1, unchanged: 3 });
  });

  test('metrics are locked at sponsorship; a later change is recorded and shown, and the locked metric still decides', async () => {
    const p = await createOpenProgramme(stack.models, tenantId, 10);
    const treated = managers.slice(0, 6);
    const comparison = managers.slice(6, 12);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner.userId, metrics: ['absence_days'], locked: { at: new Date(), metrics: ['absence_days'], baselinePeriod: 'before', followUpPeriod: 'after' } } });
    await stack.models.Enrolment.insertMany(treated.map((m) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: m.userId, status: 'confirmed', requestedAt: new Date() })));
    // Participants' absence drops by 2 days (with some spread); the comparison group's does not change.
    const drops = [2, 1, 3, 2, 2, 2];
    const rows = [
      ...treated.flatMap((m, i) => [`${m.userId},absence_days,before,${6 + i}`, `${m.userId},absence_days,after,${6 + i - drops[i]!}`]),
      ...comparison.flatMap((m, i) => [`${m.userId},absence_days,before,${5 + i}`, `${m.userId},absence_days,after,${5 + i + (i % 2 ? 1 : -1)}`]),
    ];
    expect((await importCsv(['person_id,metric,period,value', ...rows].join('\n'), 'commit')).json.inserted).toBe(24);

    const changed = await stack.request('PUT', `/api/programmes/${p.programmeId}/metrics`, { token: await as(owner, 'owner'), body: { metrics: ['performance_rating'] } });
    expect(changed.status).toBe(200);
    const impact = await stack.request('GET', `/api/programmes/${p.programmeId}/impact`, { token: await as(owner, 'owner') });
    expect(impact.json.locked.metrics).toEqual(['absence_days']);
    expect(impact.json.metricChanges).toEqual([expect.objectContaining({ from: ['absence_days'], to: ['performance_rating'], by: owner.userId })]);
    const absence = impact.json.analyses[0];
    expect(absence.metric).toBe('absence_days');
    expect(absence.treated).toMatchObject({ suppressed: false, n: 6 });
    expect(absence.treated.change.meanChange).toBeCloseTo(-2, 6);
    expect(absence.did.estimate).toBeCloseTo(-2, 6);
    expect(absence.did.n).toEqual({ treated: 6, comparison: 6 });
    expect(absence.verdict).toBe('improved'); // fewer absence days is better
  });

  test('a comparison group below the minimum group size is suppressed, with no numbers', async () => {
    const p = await createOpenProgramme(stack.models, tenantId, 10);
    const treated = managers.slice(0, 6);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { metrics: ['engagement_score'], eligibility: { userIds: [...treated, managers[6]!, managers[7]!].map((m) => m.userId), orgUnits: [], jobLevels: [] } } });
    await stack.models.Enrolment.insertMany(treated.map((m) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: m.userId, status: 'confirmed', requestedAt: new Date() })));
    const rows = managers.slice(0, 8).flatMap((m, i) => [`${m.userId},engagement_score,before,${60 + i}`, `${m.userId},engagement_score,after,${64 + i}`]);
    await importCsv(['person_id,metric,period,value', ...rows].join('\n'), 'commit');
    const impact = await stack.request('GET', `/api/programmes/${p.programmeId}/impact`, { token: await as(owner, 'owner') });
    const a = impact.json.analyses[0];
    expect(a.treated.suppressed).toBe(false);
    expect(a.comparison).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(a.did).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(a.verdict).toBe('insufficient_data');
  });

  test('the differencing attack: a comparison group of 6 shown, then of 5, would give the sixth person away; the second is withheld', async () => {
    const people = await createUsers(stack.models, tenantId, 11, ['manager']);
    const [treated, comparison] = [people.slice(0, 5), people.slice(5)];
    const p = await createOpenProgramme(stack.models, tenantId, 10);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { metrics: ['engagement_score'], eligibility: { userIds: people.map((m) => m.userId), orgUnits: [], jobLevels: [] } } });
    await enrolConfirmed(p, treated);
    const rows = people.flatMap((m, i) => [`${m.userId},engagement_score,before,${50 + i}`, `${m.userId},engagement_score,after,${52 + i + (i % 3)}`]);
    await importCsv(['person_id,metric,period,value', ...rows].join('\n'), 'commit');
    const first = (await impactOf(p.programmeId)).analyses[0];
    expect(first.comparison).toMatchObject({ suppressed: false, n: 6 });
    // Shown again unchanged: still shown.
    expect((await impactOf(p.programmeId)).analyses[0].comparison).toMatchObject({ suppressed: false, n: 6 });
    // The sixth person's follow-up figure is withdrawn: the group would be the other five.
    await stack.models.OutcomeValue.deleteMany({ tenantId, personId: comparison[5]!.userId, period: 'after' });
    const second = (await impactOf(p.programmeId)).analyses[0];
    expect(second.comparison).toEqual({ suppressed: true, reason: 'differencing' });
    expect(second.pValue).toBeNull();
    expect(second.did).toEqual({ suppressed: true, reason: 'below_min_group_size' });
    expect(second.verdict).toBe('insufficient_data');
    // The comparison carries no figure (6 × mean₆ − 5 × mean₅ would be the sixth person's value), nor does the DiD.
    // The participants' own figure did not change and stays shown.
    expect(second.treated).toMatchObject({ suppressed: false, n: 5 });
  });

  const enrolConfirmed = (programme: { programmeId: string; cohortId: string }, people: TestUser[]) =>
    stack.models.Enrolment.insertMany(people.map((m) => ({ tenantId, programmeId: programme.programmeId, cohortId: programme.cohortId, userId: m.userId, status: 'confirmed', requestedAt: new Date() })));
  const impactOf = async (programmeId: string) => (await stack.request('GET', `/api/programmes/${programmeId}/impact`, { token: await as(owner, 'owner') })).json;

  test('a sponsor approving locks the metrics, periods and comparison rule; a chosen comparison must name people', async () => {
    const ownerToken = await as(owner, 'owner');
    const empty = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ comparison: { mode: 'chosen', userIds: [] } }) });
    expect(empty.status).toBe(422);
    expect(empty.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.comparison.userIds']);
    const unknownMode = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ comparison: { mode: 'best_looking', userIds: [] } }) });
    expect(unknownMode.status).toBe(400);

    const chosen = managers.slice(8, 12).map((m) => m.userId);
    const created = await stack.request('POST', '/api/programmes', { token: ownerToken, body: validDesign({ metrics: ['absence_days'], comparison: { mode: 'chosen', userIds: chosen } }) });
    expect(created.status).toBe(201);
    expect(created.json.programme.comparison).toEqual({ mode: 'chosen', userIds: chosen, caliperSd: 0.5 });
    const id = created.json.programme.id;
    const [sponsor] = (await createUsers(stack.models, tenantId, 1, ['sponsor'], { orgUnit: 'Executive' })) as [TestUser];
    expect((await stack.request('POST', `/api/programmes/${id}/submit`, { token: ownerToken, body: { sponsorIds: [sponsor.userId], rule: 'any' } })).status).toBe(200);
    const before = await stack.models.Programme.findById(id).lean();
    expect(before!.locked?.at ?? null).toBeNull();
    const commitments = { attendKickoff: true, coachedFirst: false, reviewResultsBy: null, ownWords: '' };
    const approved = await stack.request('POST', `/api/programmes/${id}/sponsorship`, { token: await as(sponsor, 'sponsor'), body: { decision: 'approve', commitments } });
    expect(approved.json.programme.status).toBe('sponsored');
    const after = await stack.models.Programme.findById(id).lean();
    expect(after!.locked).toMatchObject({ metrics: ['absence_days'], baselinePeriod: 'before', followUpPeriod: 'after', comparison: { mode: 'chosen', userIds: chosen } });
    expect(after!.locked!.at).toBeInstanceOf(Date);
    // The design cannot be edited any more, so the comparison rule cannot be swapped for a flattering one.
    const edit = await stack.request('PUT', `/api/programmes/${id}`, { token: ownerToken, body: validDesign({ metrics: ['absence_days'], comparison: { mode: 'all_eligible', userIds: [] } }) });
    expect(edit.status).toBe(409);
    expect((await impactOf(id)).comparison).toEqual({ mode: 'chosen', rule: expect.stringContaining('chosen'), caliperSd: null, fixedAt: null });
  });

  test('a chosen comparison group: only the people chosen, never anyone who enrolled', async () => {
    const p = await createOpenProgramme(stack.models, tenantId, 10);
    const treated = managers.slice(0, 5);
    // The owner chose six people, one of whom later enrolled: that one counts as a participant only.
    const chosen = [...managers.slice(6, 11), managers[0]!];
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { metrics: ['absence_days'], comparison: { mode: 'chosen', userIds: chosen.map((m) => m.userId) } } });
    await enrolConfirmed(p, treated);
    // managers[5] and [11] are eligible but were not chosen: a change of +10 for them would show if they were counted.
    const r = await impactOf(p.programmeId);
    const a = r.analyses.find((x: { metric: string }) => x.metric === 'absence_days');
    expect(r.comparison.mode).toBe('chosen');
    // Values were imported by earlier tests for managers 0–11 (absence before/after); the comparison is exactly managers 6–10.
    expect(a.did.n).toEqual({ treated: 5, comparison: 5 });
    // From the earlier import: comparison manager i (6..11) had before 5+(i-6), after before ±1 (+1 for odd i-6).
    // Managers 6..10 → changes -1, +1, -1, +1, -1: mean -0.2.
    expect(a.comparison.change.meanChange).toBeCloseTo(-0.2, 9);
    expect(a.matching).toBeNull();
  });

  test('a matched comparison group: same org unit, nearest baseline within the caliper, each used once; who was left out and why', async () => {
    const unitA = await createUsers(stack.models, tenantId, 10, ['manager'], { orgUnit: 'Unit A' });
    const unitB = await createUsers(stack.models, tenantId, 6, ['manager'], { orgUnit: 'Unit B' });
    const p = await createOpenProgramme(stack.models, tenantId, 10, { orgUnit: 'Unit A' });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { metrics: ['engagement_score'], eligibility: { userIds: [], orgUnits: ['Unit A', 'Unit B'], jobLevels: [] }, comparison: { mode: 'matched', userIds: [], caliperSd: 0.5 } } });
    const treated = [...unitA.slice(0, 3), ...unitB.slice(0, 3), unitA[9]!];
    await enrolConfirmed(p, treated);
    // Participants: A 10, 20, 30, B 5, 6, 7, and A 150, each +5 after.
    // Pool A: 11, 19, 31 (the matches, change 0) and 50, 60, 70 (change +10); pool B: 8, 9, 12 (change 0).
    // All 16 baselines: mean 498/16 = 31.125, sd √(21241.75/15) = 37.63, caliper (half an sd) 18.82: the participant
    // at 150 is 80 from the nearest free candidate (70) and is left out.
    const treatedBase = [10, 20, 30, 5, 6, 7, 150];
    const poolA = [11, 19, 31, 50, 60, 70];
    const poolB = [8, 9, 12];
    const rows = [
      ...treated.flatMap((m, i) => [`${m.userId},engagement_score,before,${treatedBase[i]}`, `${m.userId},engagement_score,after,${treatedBase[i]! + 5}`]),
      ...unitA.slice(3, 9).flatMap((m, i) => [`${m.userId},engagement_score,before,${poolA[i]}`, `${m.userId},engagement_score,after,${poolA[i]! + (i < 3 ? 0 : 10)}`]),
      ...unitB.slice(3).flatMap((m, i) => [`${m.userId},engagement_score,before,${poolB[i]}`, `${m.userId},engagement_score,after,${poolB[i]}`]),
    ];
    expect((await importCsv(['person_id,metric,period,value', ...rows].join('\n'), 'commit')).json.errorCount).toBe(0);
    const r = await impactOf(p.programmeId);
    expect(r.comparison).toMatchObject({ mode: 'matched', caliperSd: 0.5 });
    const a = r.analyses.find((x: { metric: string }) => x.metric === 'engagement_score');
    expect(a.matching).toMatchObject({ matched: 6, unmatched: 0, outsideCaliper: 1 });
    expect(a.matching.caliper).toBeCloseTo(18.82, 1);
    expect(a.attrition.treated).toEqual({ total: 7, analysed: 6, missingBaseline: 0, missingFollowUp: 0, noMatch: 0, outsideCaliper: 1, notChosen: 0 });
    expect(a.attrition.comparison).toMatchObject({ analysed: 6, notChosen: 3 });
    expect(a.treated.n).toBe(6);
    expect(a.comparison.n).toBe(6);
    // Matched baselines 11, 19, 31, 8, 9, 12: mean 15; unchanged, so the DiD is exactly the participants' +5.
    expect(a.comparison.before).toBeCloseTo(15, 9);
    expect(a.comparison.change.meanChange).toBe(0);
    expect(a.did.estimate).toBeCloseTo(5, 9);
    // Every participant moved by exactly +5 and every match by 0: no spread, so no verdict.
    expect(a.verdict).toBe('insufficient_variation');
    expect(a.primary).toBe(true);
  });

  test('the team pulse is analysed as a metric of its own: team averages, small teams left out, before/after since nobody else was asked', async () => {
    const p = await createOpenProgramme(stack.models, tenantId, 10);
    const treated = managers.slice(0, 6);
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { metrics: ['team_pulse_heard'], comparison: { mode: 'all_eligible', userIds: [] } } });
    await enrolConfirmed(p, treated);
    // Every team answers 5 times per phase, "I feel heard" 3 before and 3 + (i + 1) / 5 after; the last team has only 4 answers after, so it is left out.
    const answers = treated.flatMap((m, i) =>
      (['baseline', 'post'] as const).flatMap((phase) =>
        Array.from({ length: phase === 'post' && i === 5 ? 4 : 5 }, () => ({ _id: randomUUID(), tenantId, programmeId: p.programmeId, managerId: m.userId, phase, scores: { asksQuestions: 3, feelHeard: phase === 'baseline' ? 3 : 3 + (i + 1) / 5, listens: 3 }, day: '2026-11-01' })),
      ),
    );
    await stack.models.PulseResponse.insertMany(answers);
    const solo = (await impactOf(p.programmeId)).analyses.find((x: { metric: string }) => x.metric === 'team_pulse_heard');
    expect(solo.source).toBe('team_pulse');
    expect(solo.basis).toBe('before_after');
    expect(solo.comparison).toEqual({ suppressed: true, reason: 'not_collected' });
    // Five teams counted, changes 0.2, 0.4, 0.6, 0.8, 1.0: mean 0.6, above zero throughout its interval.
    expect(solo.treated.n).toBe(5);
    expect(solo.treated.change.meanChange).toBeCloseTo(0.6, 9);
    expect(solo.verdict).toBe('improved');

    // No response can be singled out: nothing per team is in the report.
    expect(JSON.stringify(solo)).not.toContain(treated[0]!.userId);
  });
});
