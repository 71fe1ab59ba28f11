import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../service/src/data/mongo';
import { planLadder, type LadderConfig, type PlannedStep } from '../../service/src/domain/reminders';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers, type TestUser } from '../support/fixtures';
import { PrivateServices } from '../support/private-services';
import { Stack } from '../support/stack';

const BURST = Number(process.env.FAULT_BURST || 1000);
const CAPACITY = 150;
const SESSIONS = 2;
/** One "working day" of the reminder ladder here: remind at +1 and +2 days, escalate +1 later, close +1 later. */
const WD = 3000;
const LADDER_ENV = {
  LADDER_WORKING_DAY_MS: String(WD),
  LADDER_REMINDER_DAYS: '1,2',
  LADDER_ESCALATE_AFTER_DAYS: '1',
  LADDER_CLOSE_AFTER_DAYS: '1',
  LADDER_RESPECT_QUIET_HOURS: 'false',
  FEEDBACK_SWEEP_INTERVAL_MS: '3000',
};
/**
 * Background passes at production's pace rather than the suite's (200 ms): on FerretDB each relay, reconcile and
 * sweep pass reads whole collections, and with 1,000 enrolments they would take the database from the burst.
 */
const PACE_ENV = { OUTBOX_RELAY_INTERVAL_MS: '2000', OUTBOX_RELAY_MIN_AGE_MS: '5000', RECONCILE_INTERVAL_MS: '5000' };
/** The same ladder, as the workers plan it from that configuration. */
const LADDER: LadderConfig = { reminderOffsets: [1, 2], escalateAfter: 1, closeAfter: 1, quietStart: '19:00', quietEnd: '08:00', workingDayMs: WD, respectQuietHours: false };
/** People asked for feedback on two ended sessions while the burst runs; the first few answer at once. */
const RATERS = 20;
const ANSWERING = 4;
const REDIS_OUTAGE_MS = 30_000;
/** Concurrent clients sending the burst. */
const CLIENTS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`still waiting after ${ms} ms`)))]);
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Starts an API and workers against a Redis and a FerretDB of the test's own. */
async function isolatedStack(entra: EntraStandIn, env: Record<string, string> = {}) {
  const own = await PrivateServices.start();
  const stack = await Stack.start({
    env: { ...entra.env(), RATE_LIMIT_IP_PER_MIN: '10000000', RATE_LIMIT_USER_PER_MIN: '10000000', RECONCILE_INTERVAL_MS: '2000', ...(process.env.FAULT_LOG_LEVEL ? { LOG_LEVEL: process.env.FAULT_LOG_LEVEL } : {}), ...env },
    mongoUrl: own.mongoUrl,
    redisUrl: own.redisUrl,
  });
  return { own, stack };
}

describe('fault injection', () => {
  let entra: EntraStandIn;
  beforeAll(async () => {
    entra = await EntraStandIn.start();
  });
  afterAll(async () => {
    await entra?.close();
  });

  /**
   * A burst of enrolments while everything fails: every worker process SIGKILLed twice, the API
   * SIGKILLed and restarted, Redis stopped for 30 s, the database restarted; meanwhile feedback
   * requests are being chased and their reminders come due. Afterwards every request answered
   * with success exists exactly once, capacity holds, every confirmed enrolment has exactly one
   * set of sessions, every decision was announced exactly once, and every reminder that was due
   * went out exactly once (none before it was due, none after an answer).
   */
  describe(`a burst of ${BURST} enrolments`, () => {
    let own: PrivateServices;
    let stack: Stack;
    const tenantId = randomUUID();

    beforeAll(async () => {
      ({ own, stack } = await isolatedStack(entra, { ...LADDER_ENV, ...PACE_ENV }));
    }, 60000);
    afterAll(async () => {
      await stack?.stop().catch(() => undefined);
      await own?.stop();
    });

    /** Managers confirmed on a programme whose session A has ended; session B ends during the Redis outage. */
    async function feedbackProgramme() {
      const { models } = stack;
      const [owner] = (await createUsers(models, tenantId, 1, ['owner'])) as [TestUser];
      const raters = await createUsers(models, tenantId, RATERS, ['manager']);
      const p = await createOpenProgramme(models, tenantId, RATERS, { sessions: 0 });
      await models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner.userId } });
      const session = (title: string, startsAt: Date) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, kind: 'workshop', title, startsAt, durationMinutes: 60, timeZone: 'Europe/London' });
      const now = new Date();
      // Session A is marked as swept until everyone is booked on it, so the sweep sees the whole group.
      const [a, b] = await models.SessionPlan.insertMany([{ ...session('Session A', new Date(Date.now() - 2 * 3600_000)), feedbackRequestedAt: now }, session('Session B', new Date(Date.now() + 86400_000))]);
      const enrolments = await models.Enrolment.insertMany(raters.map((r) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: r.userId, status: 'confirmed', requestedAt: now, decidedAt: now })));
      await models.ParticipantSession.insertMany(enrolments.flatMap((e) => [a!, b!].map((s) => ({ tenantId, enrolmentId: e._id, sessionId: s._id, programmeId: p.programmeId, userId: e.userId }))));
      await models.SessionPlan.updateOne({ _id: a!._id }, { $set: { feedbackRequestedAt: null } });
      // The sweep asks everyone about session A; wait until each has had the first notice (the ladder is then scheduled).
      const requestsA = await stack.eventually(async () => {
        const rs = await models.FeedbackRequest.find({ tenantId, sessionId: a!._id }).lean();
        const notified = await models.Notification.countDocuments({ tenantId, kind: 'feedback.requested', link: { $in: rs.map((r) => `#/feedback?request=${String(r._id)}`) } });
        return rs.length === RATERS && notified === RATERS ? rs : null;
      }, 20000, 'feedback requests for session A, each with its first notice');
      // A few answer at once: their ladders must stop.
      for (const r of requestsA.slice(0, ANSWERING)) {
        const rater = raters.find((x) => x.userId === r.recipientId)!;
        const token = await entra.token({ tenantId, userId: rater.userId, roles: [APP_ROLE.manager] });
        const res = await stack.request('POST', `/api/feedback/${String(r._id)}/answer`, { token, body: { kind: 'session_feedback', rating: 4, tryNext: 'Listen first', comment: '' } });
        expect(res.status).toBe(200);
      }
      return { owner, programmeId: p.programmeId, sessionA: a!._id, sessionB: b!._id };
    }

    test(`${BURST} enrolments through worker kills, an API kill, a 30 s Redis outage and a database restart, with reminders coming due`, async () => {
      const started = Date.now();
      const { models } = stack;
      const managers = await createUsers(models, tenantId, BURST, ['manager']);
      const p = await createOpenProgramme(models, tenantId, CAPACITY, { sessions: SESSIONS });
      const tokens = await Promise.all(managers.map((m) => entra.token({ tenantId, userId: m.userId, roles: [APP_ROLE.manager] })));
      const fb = await feedbackProgramme();

      // The requests: a fixed number of clients, each sending its next request once the last was answered. Like a
      // real client, one retries (answered idempotently) with growing pauses when there is no answer or a 5xx.
      const accepted = new Map<string, string>(); // userId → enrolment id answered with success
      const notAnswered = new Map<string, number>(); // why an attempt got no success, for the log
      const t0 = Date.now();
      let next = 0;
      const client = async () => {
        while (next < BURST) {
          const i = next++;
          for (let attempt = 0, pause = 250; attempt < 60; attempt++, pause = Math.min(pause * 2, 4000)) {
            const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: tokens[i]!, body: { cohortId: p.cohortId }, timeoutMs: 30_000 }).catch(() => null);
            if (r && (r.status === 202 || r.status === 200)) {
              accepted.set(managers[i]!.userId, r.json.enrolment.id);
              break;
            }
            const why = r ? String(r.status) : 'no answer';
            notAnswered.set(why, (notAnswered.get(why) ?? 0) + 1);
            if (r && r.status < 500) break; // refused for good: not accepted, which the checks allow
            await sleep(pause * (0.5 + Math.random() / 2));
          }
        }
      };

      const faults: string[] = [];
      const at = (what: string) => faults.push(`${seconds(Date.now() - t0)} ${what}`);
      let faultsFrom = 0;
      let faultsTo = 0;
      const chaos = (async () => {
        // Session B ends during the Redis outage: its feedback requests are made once Redis is back.
        await models.SessionPlan.updateOne({ _id: fb.sessionB }, { $set: { startsAt: new Date(t0 + 15_000 - 3600_000) } });
        await sleep(800);
        faultsFrom = Date.now();
        await stack.workers.stop('SIGKILL');
        at('worker process SIGKILLed (1st)');
        stack.workers.start();
        await sleep(700);
        await stack.api.stop('SIGKILL');
        at('API SIGKILLed');
        stack.api.start();
        await stack.waitHealthy();
        at('API restarted');
        await sleep(500);
        const redisDown = Date.now();
        await own.stopRedis();
        at('Redis stopped');
        await sleep(1500);
        await stack.workers.stop('SIGKILL');
        at('worker process SIGKILLed (2nd), restarted while Redis is down');
        stack.workers.start();
        await sleep(REDIS_OUTAGE_MS - (Date.now() - redisDown));
        await own.startRedis();
        at(`Redis started after ${seconds(Date.now() - redisDown)}`);
        await sleep(2000);
        await own.restartFerret(1000);
        at('database restarted');
        faultsTo = Date.now();
      })();

      await Promise.all([...Array.from({ length: CLIENTS }, client), chaos]);
      const burstDone = Date.now();
      console.log(`faults:\n  ${faults.join('\n  ')}\nrequests: ${accepted.size} of ${BURST} accepted in ${seconds(burstDone - t0)}; attempts without success: ${JSON.stringify(Object.fromEntries(notAnswered))}`);
      expect(accepted.size).toBeGreaterThan(BURST * 0.9);

      // Let the system settle: every enrolment decided and announced, every event queued, every feedback request finished.
      const { all, requests } = await stack.eventually(async () => {
        const all = await models.Enrolment.find({ tenantId, programmeId: p.programmeId }).lean();
        if (!all.every((d) => d.status !== 'requested' && d.outbox.length === 0)) return null;
        const announced = await models.Notification.countDocuments({ tenantId, kind: { $in: ['enrolment.confirmed', 'enrolment.waitlisted'] } });
        if (announced < all.length) return null;
        const requests = await models.FeedbackRequest.find({ tenantId, programmeId: fb.programmeId }).lean();
        if (requests.length !== 2 * RATERS || !requests.every((r) => r.status !== 'open')) return null;
        // A close step writes the request, then its ladder: wait for both.
        const closing = requests.filter((r) => r.status === 'closed_unanswered').map((r) => r._id);
        if ((await models.FeedbackLadder.countDocuments({ tenantId, _id: { $in: closing }, lastStepDone: 'close' })) < closing.length) return null;
        return { all, requests };
      }, 600000, 'every enrolment decided and announced and every feedback request finished, after the faults');
      const settled = Date.now();

      // Every request answered with success exists exactly once; nobody has two enrolments.
      const ids = new Set(all.map((d) => String(d._id)));
      for (const [userId, id] of accepted) {
        expect(ids.has(id)).toBe(true);
        expect(all.filter((d) => d.userId === userId)).toHaveLength(1);
      }
      expect(new Set(all.map((d) => d.userId)).size).toBe(all.length);
      // Capacity holds: every seat taken once, one per confirmed enrolment, the rest waitlisted.
      const confirmed = all.filter((d) => d.status === 'confirmed');
      const waitlisted = all.filter((d) => d.status === 'waitlisted');
      expect(confirmed.length).toBe(Math.min(CAPACITY, all.length));
      expect(confirmed.length + waitlisted.length).toBe(all.length);
      const seats = await models.Seat.find({ tenantId, cohortId: p.cohortId }).lean();
      expect(seats.map((s) => String(s.enrolmentId)).sort()).toEqual(confirmed.map((c) => String(c._id)).sort());
      expect(new Set(seats.map((s) => s.seatNo)).size).toBe(seats.length);
      expect(seats.every((s) => s.seatNo >= 1 && s.seatNo <= CAPACITY)).toBe(true);
      // Exactly one set of sessions per confirmed enrolment, none for the waitlisted.
      const sessionIds = (await models.SessionPlan.find({ tenantId, programmeId: p.programmeId }, { _id: 1 }).lean()).map((s) => String(s._id)).sort();
      expect(sessionIds).toHaveLength(SESSIONS);
      const bookings = await models.ParticipantSession.find({ tenantId, programmeId: p.programmeId }).lean();
      const perEnrolment = new Map<string, string[]>();
      for (const b of bookings) perEnrolment.set(String(b.enrolmentId), [...(perEnrolment.get(String(b.enrolmentId)) ?? []), String(b.sessionId)]);
      expect([...perEnrolment.keys()].sort()).toEqual(confirmed.map((c) => String(c._id)).sort());
      for (const booked of perEnrolment.values()) expect(booked.sort()).toEqual(sessionIds);
      expect(bookings.every((b) => b.status === 'scheduled')).toBe(true);
      // Every decision announced exactly once, with the right news.
      const burstUsers = new Set(managers.map((m) => m.userId));
      const notices = (await models.Notification.find({ tenantId, kind: { $in: ['enrolment.confirmed', 'enrolment.waitlisted'] } }, { userId: 1, kind: 1 }).lean()).filter((n) => burstUsers.has(n.userId));
      expect(notices.map((n) => `${n.userId} ${n.kind}`).sort()).toEqual(all.map((d) => `${d.userId} enrolment.${d.status}`).sort());

      // Reminders. Each request's ladder, planned from when it was sent, is the one stored.
      const ladders = new Map<string, PlannedStep[]>(requests.map((r) => [String(r._id), planLadder('session_feedback', r.sentAt, r.timeZone, LADDER)]));
      const progress = new Map((await models.FeedbackLadder.find({ tenantId, _id: { $in: requests.map((r) => r._id) } }).lean()).map((l) => [String(l._id), l]));
      expect(progress.size).toBe(requests.length);
      for (const r of requests) expect(progress.get(String(r._id))!.ladder.map((s) => [s.step, s.dueAt])).toEqual(ladders.get(String(r._id))!.map((s) => [s.step, s.dueAt]));
      // The ladders really ran through the faults.
      const dueInFaults = [...ladders.values()].flat().filter((s) => s.dueAt.getTime() >= faultsFrom && s.dueAt.getTime() <= faultsTo);
      expect(dueInFaults.length).toBeGreaterThanOrEqual(RATERS);
      const fbNotices = await models.Notification.find({ tenantId, kind: { $in: ['feedback.requested', 'feedback.reminder', 'feedback.escalated'] } }).lean();
      const answered = requests.filter((r) => r.status === 'answered');
      expect(answered).toHaveLength(ANSWERING);
      let remindersDue = 0;
      for (const r of requests) {
        const link = `#/feedback?request=${String(r._id)}`;
        const mine = fbNotices.filter((n) => n.link === link);
        expect(mine.filter((n) => n.kind === 'feedback.requested')).toHaveLength(1);
        const reminders = mine.filter((n) => n.kind === 'feedback.reminder');
        // Every reminder step due while the request was open went out exactly once, and not before it was due.
        const ladder = ladders.get(String(r._id))!;
        const due = ladder.filter((s) => s.step.startsWith('remind_') && (r.status !== 'answered' || s.dueAt.getTime() < r.answeredAt!.getTime()));
        if (r.status === 'answered') {
          // An answer stops the ladder: nothing after it (a step due just before the answer may have been overtaken by it).
          expect(reminders.every((n) => n.createdAt.getTime() <= r.answeredAt!.getTime())).toBe(true);
          expect(reminders.length).toBeLessThanOrEqual(due.length);
        } else {
          expect(r.status).toBe('closed_unanswered');
          expect(progress.get(String(r._id))!.lastStepDone).toBe('close');
          expect(reminders.map((n) => n.eventId).sort()).toEqual(due.map((s) => `${String(r._id)}-${s.step}`).sort());
          remindersDue += due.length;
        }
        for (const n of reminders) {
          const step = ladder.find((s) => n.eventId === `${String(r._id)}-${s.step}`);
          expect(step).toBeDefined();
          expect(n.createdAt.getTime()).toBeGreaterThanOrEqual(step!.dueAt.getTime() - 50);
        }
      }
      expect(remindersDue).toBe((2 * RATERS - ANSWERING) * 2);
      // One escalation digest per session to the programme owner, after the step was due.
      const escalations = fbNotices.filter((n) => n.kind === 'feedback.escalated');
      expect(escalations.map((n) => `${n.userId} ${n.eventId}`).sort()).toEqual([fb.sessionA, fb.sessionB].map((s) => `${fb.owner.userId} escalate-${String(s)}`).sort());
      for (const n of escalations) {
        const sessionId = n.eventId.replace('escalate-', '');
        const earliest = Math.min(...requests.filter((r) => String(r.sessionId) === sessionId && r.status !== 'answered').map((r) => ladders.get(String(r._id))!.find((s) => s.step === 'escalate')!.dueAt.getTime()));
        expect(n.createdAt.getTime()).toBeGreaterThanOrEqual(earliest - 50);
      }

      console.log(
        `fault burst: ${accepted.size} accepted, ${confirmed.length} confirmed, ${waitlisted.length} waitlisted; ` +
          `${requests.length} feedback requests, ${dueInFaults.length} ladder steps due during the faults, ${remindersDue} reminders each sent once; ` +
          `setup ${seconds(t0 - started)}, burst ${seconds(burstDone - t0)}, settled ${seconds(settled - burstDone)} later`,
      );
    }, 900000);
  });

  test('SIGTERM under load: in-flight requests finish and active jobs complete or are retried; nothing is lost', async () => {
    const { own, stack } = await isolatedStack(entra);
    try {
      const tenantId = randomUUID();
      const managers = await createUsers(stack.models, tenantId, 60, ['manager']);
      const p = await createOpenProgramme(stack.models, tenantId, 100, { sessions: 1 });
      const tokens = await Promise.all(managers.map((m) => entra.token({ tenantId, userId: m.userId, roles: [APP_ROLE.manager] })));
      const answered: string[] = [];
      const inflight = tokens.map((t) =>
        stack
          .request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: t, body: { cohortId: p.cohortId } })
          .then((r) => (r.status === 202 ? answered.push(r.json.enrolment.id) : undefined))
          .catch(() => undefined),
      );
      await sleep(150);
      const [apiExit, workersExit] = await Promise.all([stack.api.stop('SIGTERM'), stack.workers.stop('SIGTERM')]);
      await Promise.all(inflight);
      expect([apiExit, workersExit]).toEqual([0, 0]); // clean, ordered shutdowns
      stack.api.start();
      stack.workers.start();
      await stack.waitHealthy();
      await stack.eventually(async () => (await stack.models.Enrolment.countDocuments({ tenantId, programmeId: p.programmeId, status: 'confirmed' })) === answered.length, 60000, 'all answered enrolments confirmed after restart');
      expect(await stack.models.Enrolment.countDocuments({ tenantId, programmeId: p.programmeId })).toBe(answered.length);
    } finally {
      await stack.stop().catch(() => undefined);
      await own.stop();
    }
  }, 120000);

  /**
   * The database restart that used to leave a process unable to reach the database for good,
   * made deterministic: a command written to a connection the server has just closed (its socket
   * destroyed, the close not yet handled) waited for ever for the socket to drain. When that was
   * the monitor's heartbeat, the server stayed "Unknown" after the restart and every operation
   * failed server selection. See failWritesToClosedSockets in service/src/data/mongo.ts.
   */
  test('after a database restart, a connection closed just as a command was written does not wedge the process', async () => {
    const own = await PrivateServices.start();
    const conn = await connectMongo(`${own.mongoUrl}/driver_probe`, 3);
    try {
      const probe = conn.db!.collection('probe');
      await probe.insertOne({ at: new Date() });
      const server = [...(conn.getClient() as any).topology.s.servers.values()][0];
      const admin = { db: 'admin', collection: '$cmd', toString: () => 'admin.$cmd' };
      // A pooled connection: the command fails at once with a network error instead of hanging.
      const pooled = [...server.pool.connections][0];
      pooled.socket.destroy();
      await expect(within(3000, pooled.command(admin, { ping: 1 }, {}))).rejects.toThrow(/closed/);
      // The monitor: its heartbeat is written as its connection closes.
      const monitor = server.monitor;
      monitor.connection.socket.destroy();
      monitor.monitorId.lastExecutionEnded = -Infinity;
      monitor.requestCheck();
      // The database goes down under load, and comes back: the process must reach it again.
      let busy = true;
      const load = Array.from({ length: 5 }, async () => {
        while (busy) await within(3000, probe.findOne({})).catch(() => sleep(20));
      });
      await sleep(300);
      own.ferret.kill('SIGKILL');
      await new Promise((r) => own.ferret.once('exit', r));
      busy = false;
      await Promise.all(load);
      await own.startFerret();
      const found = await untilItWorks(() => probe.findOne({}), 15000);
      expect(found).not.toBeNull();
    } finally {
      await within(5000, conn.close(true)).catch(() => undefined);
      await own.stop();
    }
  }, 60000);
});

/** Retries `op` until it succeeds or `timeoutMs` passes (each failure is a server-selection timeout of up to 5 s). */
async function untilItWorks<T>(op: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}
