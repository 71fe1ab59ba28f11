import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, type TestUser } from '../support/fixtures';
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
    expect(await stack.models.OutcomeStaging.countDocuments({ tenantId })).toBe(0);
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
});
