import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { strFromU8, unzipSync } from 'fflate';
import IORedis from 'ioredis';
import { Types } from 'mongoose';
import type { Deps } from '../../service/src/usecases/deps';
import { createLogger } from '../../service/src/logger';
import { bullJobStore } from '../../service/src/events/job-store';
import { createQueues, closeQueues } from '../../service/src/events/queues';
import { purgeExpired } from '../../service/src/usecases/retention';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { traces } from '../support/traces';
import { Stack } from '../support/stack';

const DAY = 86_400_000;
const ROOT = path.resolve(__dirname, '..', '..');

describe('privacy: export, erasure, retention and deleting an organisation', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  let redis: IORedis;
  const tenantId = randomUUID();
  const admin = () => entra.token({ tenantId, userId: 'boot-admin', name: 'First Admin' });

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({
      env: { ...entra.env(), BOOTSTRAP_ADMIN_IDS: 'boot-admin', PRIVACY_SWEEP_INTERVAL_MS: '1000', PRIVACY_LEASE_MS: '3000', TENANT_DELETION_WAIT_MS: '3000', OUTBOX_RELAY_INTERVAL_MS: '200', OUTBOX_RELAY_MIN_AGE_MS: '500' },
    });
    redis = new IORedis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
    await entra?.close();
  });

  /** A manager with a trace in every kind of record, and a colleague waiting for her seat. */
  async function personWithHistory() {
    const { models } = stack;
    const suffix = randomUUID().slice(0, 8);
    const [lineManager] = await createUsers(models, tenantId, 1, ['manager']);
    const ada = { userId: randomUUID(), name: `Ada Quill${suffix}`, email: `ada.${suffix}@contoso.test` };
    await models.User.create({ tenantId, ...ada, upn: ada.email, roles: ['manager'], orgUnit: 'Operations', jobLevel: 'M2', lineManagerId: lineManager!.userId, nameKey: ada.name.toLowerCase(), searchKeys: ['ada', ada.email] });
    const [report] = await createUsers(models, tenantId, 1, ['team_member']);
    await models.User.updateOne({ tenantId, userId: report!.userId }, { $set: { lineManagerId: ada.userId } });
    const [bo] = await createUsers(models, tenantId, 1, ['manager']);
    const p = await createOpenProgramme(models, tenantId, 1);
    // The admin gave her a role (audited), before her first sign-in brought Entra's app roles.
    expect((await stack.request('PUT', `/api/admin/users/${ada.userId}/roles`, { token: await admin(), body: { roles: ['manager', 'coach'] } })).status).toBe(200);
    const token = (userId: string, name: string) => entra.token({ tenantId, userId, name, roles: [APP_ROLE.manager] }, userId === ada.userId ? { claims: { preferred_username: ada.email } } : {});
    const first = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(ada.userId, ada.name), body: { cohortId: p.cohortId } });
    expect(first.status).toBe(202);
    await stack.eventually(async () => (await models.Enrolment.findOne({ tenantId, userId: ada.userId }).lean())?.status === 'confirmed', 20000, 'Ada confirmed');
    const second = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await token(bo!.userId, bo!.name), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await models.Enrolment.findById(second.json.enrolment.id).lean())?.status === 'waitlisted', 20000, 'Bo waitlisted');
    await stack.eventually(() => models.Notification.findOne({ tenantId, userId: ada.userId }).lean(), 20000, 'Ada told');

    const session = await models.SessionPlan.findOne({ tenantId, programmeId: p.programmeId }).lean();
    const programmeId = p.programmeId;
    await models.SessionFeedback.create({ tenantId, requestId: randomUUID().replace(/-/g, '').slice(0, 24), sessionId: session!._id, programmeId, userId: ada.userId, rating: 4, comment: `${ada.name} found the role-play useful` });
    await models.Attendance.create({ tenantId, sessionId: session!._id, programmeId, userId: ada.userId, attendance: 'attended', recordedBy: 'coach-1' });
    await models.OutcomeValue.create({ tenantId, personId: ada.userId, metric: 'absence_days', period: 'before', value: 3, importId: 'imp-1' });
    await models.FeedbackRequest.create({ tenantId, kind: 'pulse', recipientId: report!.userId, programmeId, managerId: ada.userId, managerName: ada.name, phase: 'baseline', sentAt: new Date(), key: `pulse-${report!.userId}-${suffix}` });
    await models.PulseResponse.create({ _id: randomUUID(), tenantId, programmeId, managerId: ada.userId, phase: 'baseline', scores: { asksQuestions: 4, feelHeard: 4, supportNotInstructions: 3 }, day: '2026-12-01' });
    await models.Notification.create({ tenantId, userId: lineManager!.userId, eventId: randomUUID(), kind: 'enrolment.approval_requested', title: `${ada.name} asked to join`, body: `Reply to ${ada.email}` });
    await models.Programme.create({ tenantId, title: 'Sponsored pilot', kind: 'pilot', status: 'approved', capacityPerCohort: 5, enrolmentOpensAt: new Date(), enrolmentClosesAt: new Date(Date.now() + DAY), createdBy: 'owner-1', sponsorIds: [ada.userId, 'sponsor-2'], sponsorDecisions: { [ada.userId]: { decision: 'approved', commitments: 'Attend the kickoff' }, 'sponsor-2': { decision: 'approved', commitments: 'Review results' } } });
    await models.DirectoryIssue.create({ tenantId, source: 'graph', userId: ada.userId, kind: 'unknown_zone', detail: `Zone of ${ada.email} unknown`, runId: 'run-1', at: new Date() });
    // A job failed with her address in its error.
    const q = new Queue('reminder', { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    const failing = await q.add('mystery', { tenantId, note: `about ${ada.email}` }, { attempts: 1 });
    await stack.eventually(async () => (await q.getJobState(failing.id!)) === 'failed', 15000, 'job failed');
    await q.close();
    return { ada, bo: bo!, lineManager: lineManager!, report: report!, programme: p, waitingEnrolment: second.json.enrolment.id as string };
  }

  test('a person downloads every record about them; an admin can too; nobody else can', async () => {
    const { ada, bo } = await personWithHistory();
    const adaToken = await entra.token({ tenantId, userId: ada.userId, name: ada.name, roles: [APP_ROLE.manager] }, { claims: { preferred_username: ada.email } });
    const res = await fetch(`${stack.baseUrl}/api/me/export`, { headers: { authorization: `Bearer ${adaToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?coaching-pilots-data-\d{4}-\d\d-\d\d\.zip"?$/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const data = JSON.parse(strFromU8(files['data.json']!));
    expect(data.person).toEqual({ userId: ada.userId, name: ada.name, email: ada.email });
    const r = data.records;
    expect(r.User).toEqual([expect.objectContaining({ userId: ada.userId, roles: ['manager', 'coach'], orgUnit: 'Operations' })]);
    expect(r.Enrolment).toEqual([expect.objectContaining({ userId: ada.userId, status: 'confirmed' })]);
    expect(r.ParticipantSession.length).toBe(3);
    expect(r.SessionFeedback).toEqual([expect.objectContaining({ rating: 4, comment: `${ada.name} found the role-play useful` })]);
    expect(r.Attendance).toEqual([expect.objectContaining({ attendance: 'attended' })]);
    expect(r.OutcomeValue).toEqual([expect.objectContaining({ metric: 'absence_days', value: 3 })]);
    expect(r.Notification.length).toBeGreaterThanOrEqual(1);
    expect(r.DirectoryIssue).toEqual([expect.objectContaining({ kind: 'unknown_zone' })]);
    // What was done about her: the admin's role change.
    expect(r.AuditEvent).toEqual([expect.objectContaining({ actorId: 'boot-admin', action: 'roles.set', target: `user:${ada.userId}` })]);
    // Her sponsorship with her own decision only, not the other sponsor's.
    expect(r.Programme).toEqual([expect.objectContaining({ title: 'Sponsored pilot', sponsorDecisions: { [ada.userId]: { decision: 'approved', commitments: 'Attend the kickoff' } } })]);
    // Pulse answers carry nobody's identity: not exported, and the archive says why.
    expect(r.PulseResponse).toBeUndefined();
    const readme = strFromU8(files['README.txt']!);
    expect(readme).toMatch(/pulse answers.*cannot be exported/i);
    expect(strFromU8(files['Enrolment.csv']!).split('\r\n')[0]).toContain('status');

    // The admin on her request (audited); another manager cannot; unknown people and other tenants are 404.
    const byAdmin = await fetch(`${stack.baseUrl}/api/admin/people/${ada.userId}/export`, { headers: { authorization: `Bearer ${await admin()}` } });
    expect(byAdmin.status).toBe(200);
    expect(unzipSync(new Uint8Array(await byAdmin.arrayBuffer()))['data.json']).toBeDefined();
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, action: 'person.exported', target: `user:${ada.userId}` })).toBe(2);
    const boToken = await entra.token({ tenantId, userId: bo.userId, name: bo.name, roles: [APP_ROLE.manager] });
    expect((await stack.request('GET', `/api/admin/people/${ada.userId}/export`, { token: boToken })).status).toBe(403);
    expect((await stack.request('GET', `/api/admin/people/nobody/export`, { token: await admin() })).status).toBe(404);
    const otherAdmin = await entra.token({ tenantId: randomUUID(), userId: 'boot-admin', name: 'Other Admin' });
    const cross = await stack.request('GET', `/api/admin/people/${ada.userId}/export`, { token: otherAdmin });
    expect(cross.status).toBe(404);
    expect(cross.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  test('an erasure is asked for, confirmed by name, and leaves no trace of the person in any collection or queue', async () => {
    const { ada, bo, waitingEnrolment } = await personWithHistory();
    const boToken = await entra.token({ tenantId, userId: bo.userId, name: bo.name, roles: [APP_ROLE.manager] });
    expect((await stack.request('POST', `/api/admin/people/${ada.userId}/erasure`, { token: boToken })).status).toBe(403);
    expect((await stack.request('POST', `/api/admin/people/nobody/erasure`, { token: await admin() })).status).toBe(404);
    expect((await stack.request('POST', `/api/admin/people/boot-admin/erasure`, { token: await admin() })).status).toBe(422);

    const asked = await stack.request('POST', `/api/admin/people/${ada.userId}/erasure`, { token: await admin() });
    expect(asked.status).toBe(201);
    expect(asked.json.person).toEqual({ userId: ada.userId, name: ada.name, email: ada.email });
    expect(asked.json.records).toMatchObject({ User: 1, Enrolment: 1, SessionFeedback: 1, OutcomeValue: 1 });
    const erasureId = asked.json.erasureId as string;

    // A wrong confirmation changes nothing; another tenant's admin cannot even see the request.
    const wrong = await stack.request('POST', `/api/admin/erasures/${erasureId}/confirm`, { token: await admin(), body: { confirmation: 'Ada' } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors).toEqual([expect.objectContaining({ path: 'body.confirmation' })]);
    const otherAdmin = await entra.token({ tenantId: randomUUID(), userId: 'boot-admin', name: 'Other Admin' });
    expect((await stack.request('POST', `/api/admin/erasures/${erasureId}/confirm`, { token: otherAdmin, body: { confirmation: ada.name } })).status).toBe(404);
    expect((await stack.models.User.findOne({ tenantId, userId: ada.userId }).lean())?.name).toBe(ada.name);
    expect((await stack.request('GET', `/api/admin/erasures/${erasureId}`, { token: await admin() })).json.state).toBe('requested');

    const confirmed = await stack.request('POST', `/api/admin/erasures/${erasureId}/confirm`, { token: await admin(), body: { confirmation: `  ${ada.name.toUpperCase()} ` } });
    expect(confirmed.status).toBe(202);
    const done = await stack.eventually(async () => {
      const r = await stack.request('GET', `/api/admin/erasures/${erasureId}`, { token: await admin() });
      return r.json.state === 'done' ? r.json : null;
    }, 30000, 'erasure done');
    expect(done.counts).toMatchObject({ User: 2, Enrolment: 1, Notification: expect.any(Number), SessionFeedback: 1, PulseResponse: 1, Programme: 1 });
    expect(done.counts.jobs).toBeGreaterThanOrEqual(1);

    // Her seat went to the first person waiting.
    await stack.eventually(async () => (await stack.models.Enrolment.findById(waitingEnrolment).lean())?.status === 'confirmed', 20000, 'Bo promoted');
    // Nothing anywhere holds her id, name or email (the erasure's own audit entry is pseudonymous).
    expect(await traces(stack, redis, [ada.userId, ada.name, ada.email])).toEqual([]);
    // What was counted about her stays counted: the pulse answer about her is kept under a pseudonym.
    const pulse = await stack.models.PulseResponse.find({ tenantId, managerId: /^erased-/ }).lean();
    expect(pulse.length).toBeGreaterThanOrEqual(1);
    const erased = await stack.models.User.findOne({ tenantId, userId: pulse[0]!.managerId }).lean();
    expect(erased).toMatchObject({ name: 'Erased person', email: '', roles: [], erasedAt: expect.any(Date) });
    // The erasure's own entry is written just after it is marked done.
    const audit = await stack.eventually(async () => {
      const entries = await stack.models.AuditEvent.find({ tenantId, target: `erasure:${erasureId}` }).sort({ at: 1 }).lean();
      return entries.length >= 3 ? entries : null;
    }, 10000, 'the erasure audited');
    expect(audit.map((a) => a.action)).toEqual(['person.erasure_requested', 'person.erasure_confirmed', 'person.erased']);
    // An HR file that still lists her does not bring her back.
    const hr = await stack.request('POST', '/api/admin/directory/import?mode=preview', { token: await admin(), rawBody: `user,name\n${ada.userId},Ada Again\n`, headers: { 'content-type': 'text/csv' } });
    expect(hr.status).toBe(200);
    expect(hr.status).toBe(200);
    expect(hr.json.report.errors).toEqual([{ line: 2, message: expect.stringContaining('was erased at their request') }]);
    // The erasure record keeps neither her id nor the pseudonym.
    expect(await stack.models.Erasure.findById(erasureId).lean()).toMatchObject({ state: 'done', userId: null, pseudonym: null, needles: [] });
  });

  test('an erasure whose job was lost, or whose worker was killed half-way, is resumed and completes', async () => {
    const { ada } = await personWithHistory();
    await stack.workers.stop();
    const asked = await stack.request('POST', `/api/admin/people/${ada.userId}/erasure`, { token: await admin() });
    await stack.request('POST', `/api/admin/erasures/${asked.json.erasureId}/confirm`, { token: await admin(), body: { confirmation: ada.email } });
    // The queue lost the job (as if Redis had been down when it was confirmed).
    const q = new Queue('privacy', { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    expect(await q.remove(`erase-${asked.json.erasureId}`)).toBe(1);
    await q.close();
    stack.workers.start();
    await stack.eventually(async () => (await stack.models.Erasure.findById(asked.json.erasureId).lean())?.state === 'done', 30000, 'erasure run by the sweep');
    expect(await traces(stack, redis, [ada.userId, ada.name, ada.email])).toEqual([]);

    // Killed mid-run: the lease lapses and the next worker finishes it.
    const second = await personWithHistory();
    const b = await stack.request('POST', `/api/admin/people/${second.ada.userId}/erasure`, { token: await admin() });
    await stack.request('POST', `/api/admin/erasures/${b.json.erasureId}/confirm`, { token: await admin(), body: { confirmation: second.ada.name } });
    await stack.eventually(async () => (await stack.models.Enrolment.countDocuments({ tenantId, userId: second.ada.userId, status: 'withdrawn' })) > 0 || (await stack.models.Erasure.findById(b.json.erasureId).lean())?.state === 'done', 20000, 'erasure under way');
    await stack.workers.stop('SIGKILL');
    stack.workers.start();
    await stack.eventually(async () => (await stack.models.Erasure.findById(b.json.erasureId).lean())?.state === 'done', 30000, 'erasure resumed');
    expect(await traces(stack, redis, [second.ada.userId, second.ada.name, second.ada.email])).toEqual([]);
  });

  test('retention: the admin sets periods (audited, validated); the purge removes what has expired, in a compressed clock too', async () => {
    const bad = await stack.request('PUT', '/api/admin/privacy/retention', { token: await admin(), body: { notifications: 0, nonsense: 3 } });
    expect(bad.status).toBe(400);
    const saved = await stack.request('PUT', '/api/admin/privacy/retention', { token: await admin(), body: { notifications: 30 } });
    expect(saved.status).toBe(200);
    expect(saved.json.retention).toMatchObject({ notifications: 30, auditEvents: 730, feedbackText: 365 });
    expect(await stack.models.AuditEvent.countDocuments({ tenantId, action: 'retention.set' })).toBe(1);
    // Everyone in the organisation reads its periods on the privacy notice.
    const manager = await entra.token({ tenantId, userId: randomUUID(), roles: [APP_ROLE.manager] });
    expect((await stack.request('GET', '/api/privacy/settings', { token: manager })).json).toEqual({ tenantName: 'Your organisation', minGroupSize: 5, retention: expect.objectContaining({ notifications: 30, auditEvents: 730 }) });

    // Records dated in the past: the scheduled sweep removes the expired ones and keeps the rest.
    const db = stack.conn.db!;
    const old = (days: number) => new Date(Date.now() - days * DAY);
    const [who] = await createUsers(stack.models, tenantId, 1, ['manager']);
    const oldNotice = randomUUID();
    const newNotice = randomUUID();
    await db.collection('notifications').insertMany([
      { tenantId, userId: who!.userId, eventId: oldNotice, kind: 'x', title: 'old', createdAt: old(31), updatedAt: old(31) },
      { tenantId, userId: who!.userId, eventId: newNotice, kind: 'x', title: 'new', createdAt: old(29), updatedAt: old(29) },
    ]);
    const fid = new Types.ObjectId();
    await db.collection('session_feedback').insertOne({ tenantId, requestId: fid, sessionId: fid, programmeId: fid, userId: who!.userId, rating: 2, comment: 'old words', tryNext: 'x', createdAt: old(400), updatedAt: old(400) });
    await db.collection('audit_events').insertOne({ tenantId, actorId: 'a', actorRoles: [], action: 'old.thing', target: 't', detail: {}, requestId: '', at: old(800) });
    await db.collection('outcome_values').insertOne({ tenantId, personId: who!.userId, metric: 'm', period: 'p', value: 1, importId: 'i', createdAt: old(1200), updatedAt: old(1200) });
    // Practice a year and a day old (the default period) goes with its taps and room; last month's stays.
    const oldRoom = new Types.ObjectId();
    const newRoom = new Types.ObjectId();
    await db.collection('practice_rooms').insertMany([
      { _id: oldRoom, tenantId, sessionId: fid, programmeId: fid, number: 1, members: [who!.userId, 'b', 'c'], roundMinutes: 10, scenarioKeys: ['just-tell-me'], openedBy: 'c', createdAt: old(366), updatedAt: old(366) },
      { _id: newRoom, tenantId, sessionId: fid, programmeId: fid, number: 2, members: [who!.userId, 'b', 'c'], roundMinutes: 10, scenarioKeys: ['just-tell-me'], openedBy: 'c', createdAt: old(30), updatedAt: old(30) },
    ]);
    await db.collection('practice_rounds').insertMany([oldRoom, newRoom].map((roomId, i) => ({ tenantId, roomId, sessionId: fid, programmeId: fid, index: 0, scenarioKey: 'just-tell-me', practisingId: who!.userId, partnerId: 'b', observerIds: ['c'], startedAt: old(i ? 30 : 366), endsAt: old(i ? 30 : 366), note: 'n' })));
    await db.collection('practice_taps').insertMany([oldRoom, newRoom].map((roomId, i) => ({ tenantId, roomId, round: 0, tapId: `t${i}-retention`, code: 'advice', by: 'c', at: old(i ? 30 : 366) })));
    await stack.eventually(async () => (await stack.models.PracticeRound.countDocuments({ tenantId, roomId: oldRoom })) + (await stack.models.PracticeTap.countDocuments({ tenantId, roomId: oldRoom })) + (await stack.models.PracticeRoom.countDocuments({ tenantId, _id: oldRoom })) === 0, 20000, 'old practice purged');
    expect([await stack.models.PracticeRound.countDocuments({ tenantId, roomId: newRoom }), await stack.models.PracticeTap.countDocuments({ tenantId, roomId: newRoom }), await stack.models.PracticeRoom.countDocuments({ tenantId, _id: newRoom })]).toEqual([1, 1, 1]);
    await stack.eventually(async () => (await stack.models.Notification.countDocuments({ tenantId, eventId: oldNotice })) === 0, 20000, 'old notice purged');
    await stack.eventually(async () => (await stack.models.AuditEvent.countDocuments({ tenantId, action: 'old.thing' })) === 0, 20000, 'old audit purged');
    // A sweep already under way when the records went in may have passed some kinds before they existed: the next one takes them.
    await stack.eventually(async () => (await stack.models.OutcomeValue.countDocuments({ tenantId, personId: who!.userId })) === 0, 20000, 'old outcome purged');
    await stack.eventually(async () => (await stack.models.SessionFeedback.findOne({ tenantId, requestId: fid }).lean())?.comment === '', 20000, 'old feedback text blanked');
    expect(await stack.models.Notification.countDocuments({ tenantId, eventId: newNotice })).toBe(1);
    expect(await stack.models.SessionFeedback.findOne({ tenantId, requestId: fid }).lean()).toMatchObject({ rating: 2, comment: '', tryNext: '' });
    const view = await stack.request('GET', '/api/admin/privacy', { token: await admin() });
    expect(view.json.lastPurge.at).toEqual(expect.any(String));
    expect(view.json.kinds.find((k: { kind: string }) => k.kind === 'notifications')).toEqual({ kind: 'notifications', label: expect.any(String), days: 30, defaultDays: 180 });

    // A compressed clock: 31 days on, the newer notice and this tenant's finished jobs have expired too.
    const queues = createQueues(redis, stack.env.QUEUE_PREFIX!);
    const failing = await queues.reminder.add('mystery', { tenantId } as never, { attempts: 1 });
    await stack.eventually(async () => (await queues.reminder.getJobState(failing.id!)) === 'failed', 15000, 'job failed');
    // The workers paused: under this clock any job of the tenant finishing meanwhile would have expired too, and "run again" would find it.
    await stack.workers.stop();
    try {
      const later: Deps = { models: stack.models, publisher: null as never, log: createLogger('silent', 'test'), now: () => new Date(Date.now() + 31 * DAY) };
      const removed = (await purgeExpired(later, bullJobStore(queues, redis), [tenantId])).get(tenantId)!;
      expect(removed.notifications).toBeGreaterThanOrEqual(1);
      expect(removed.finishedJobs).toBeGreaterThanOrEqual(1);
      expect(await stack.models.Notification.countDocuments({ tenantId, eventId: newNotice })).toBe(0);
      expect(await queues.reminder.getJob(failing.id!)).toBeUndefined();
      // Run again: nothing more to do.
      expect((await purgeExpired(later, bullJobStore(queues, redis), [tenantId])).get(tenantId)).toEqual(Object.fromEntries(Object.keys(removed).map((k) => [k, 0])));
    } finally {
      await closeQueues(queues);
      stack.workers.start();
    }
  });

  test('deleting the organisation: typed confirmation, a waiting period that can be cancelled, then every document and job of the tenant gone, other tenants untouched', async () => {
    const doomed = randomUUID();
    const kept = randomUUID();
    const adminOf = (t: string) => entra.token({ tenantId: t, userId: 'boot-admin', name: 'Admin' });
    for (const t of [doomed, kept]) {
      await stack.request('GET', '/api/me', { token: await adminOf(t) });
      await createUsers(stack.models, t, 3, ['manager']);
      await createOpenProgramme(stack.models, t, 2);
    }
    await stack.models.Tenant.updateOne({ tenantId: doomed }, { $set: { name: 'Fabrikam Test' } });
    const queues = createQueues(redis, stack.env.QUEUE_PREFIX!);
    const delayed = await queues.reminder.add('step', { tenantId: doomed, requestId: 'r', step: 'remind1' } as never, { delay: 3_600_000 });
    const keptJob = await queues.reminder.add('step', { tenantId: kept, requestId: 'r', step: 'remind1' } as never, { delay: 3_600_000 });
    const countKept = async () => Promise.all([stack.models.User.countDocuments({ tenantId: kept }), stack.models.Programme.countDocuments({ tenantId: kept }), stack.models.SessionPlan.countDocuments({ tenantId: kept })]);
    const keptBefore = await countKept();

    const token = await adminOf(doomed);
    expect((await stack.request('POST', '/api/admin/privacy/deletion', { token, body: { confirmation: 'Contoso' } })).status).toBe(422);
    const managerToken = await entra.token({ tenantId: doomed, userId: randomUUID(), roles: [APP_ROLE.manager] });
    expect((await stack.request('POST', '/api/admin/privacy/deletion', { token: managerToken, body: { confirmation: 'Fabrikam Test' } })).status).toBe(403);
    const first = await stack.request('POST', '/api/admin/privacy/deletion', { token, body: { confirmation: 'fabrikam test' } });
    expect(first.status).toBe(202);
    expect(first.json.state).toBe('scheduled');
    expect((await stack.request('POST', '/api/admin/privacy/deletion', { token, body: { confirmation: 'Fabrikam Test' } })).status).toBe(409);
    const cancelled = await stack.request('DELETE', '/api/admin/privacy/deletion', { token });
    expect(cancelled.json.state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 5000));
    expect(await stack.models.User.countDocuments({ tenantId: doomed })).toBeGreaterThan(0);

    const second = await stack.request('POST', '/api/admin/privacy/deletion', { token, body: { confirmation: 'Fabrikam Test' } });
    expect(second.status).toBe(202);
    const done = await stack.eventually(async () => {
      const d = await stack.models.TenantDeletion.findOne({ tenantId: doomed, state: 'done' }).lean();
      return d ?? null;
    }, 30000, 'organisation deleted');
    // The admin, three managers, and the manager who tried and was refused.
    expect(done.countsBefore).toMatchObject({ User: 5, Programme: 1, Cohort: 1, SessionPlan: 3, Tenant: 1, jobs: 1 });
    expect(Object.values(done.countsAfter as Record<string, number>).every((n) => n === 0)).toBe(true);
    expect(done.requestedBy).toBeNull();
    for (const c of await stack.conn.db!.listCollections().toArray()) {
      if (c.name === 'tenant_deletions') continue;
      expect([c.name, await stack.conn.db!.collection(c.name).countDocuments({ tenantId: doomed })]).toEqual([c.name, 0]);
    }
    expect(await queues.reminder.getJob(delayed.id!)).toBeUndefined();
    expect(await queues.reminder.getJob(keptJob.id!)).toBeDefined();
    expect(await countKept()).toEqual(keptBefore);

    // The operator removes a tenant from the command line: the same wait, then the same deletion.
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist/service/src/cli/remove-tenant.js'), kept], { env: { ...process.env, ...stack.env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(cli.stdout).toMatch(/will be deleted after/);
    await stack.eventually(() => stack.models.TenantDeletion.findOne({ tenantId: kept, state: 'done' }).lean(), 30000, 'operator removal done');
    expect(await stack.models.User.countDocuments({ tenantId: kept })).toBe(0);
    await closeQueues(queues);
  });
});
