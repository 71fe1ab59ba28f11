import { randomUUID } from 'node:crypto';
import { connectMongo } from '../../service/src/data/mongo';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { expectEnrolmentInvariants, expectLadderInvariants, feedbackProgramme, LADDER_ENV, sendBurst, settle, sleep } from '../support/burst';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { PrivateServices } from '../support/private-services';
import { Stack } from '../support/stack';

const BURST = Number(process.env.FAULT_BURST || 1000);
const CAPACITY = 150;
const SESSIONS = 2;
/**
 * Background passes at production's pace rather than the suite's (200 ms): on FerretDB each relay, reconcile and
 * sweep pass reads whole collections, and with 1,000 enrolments they would take the database from the burst.
 */
const PACE_ENV = { OUTBOX_RELAY_INTERVAL_MS: '2000', OUTBOX_RELAY_MIN_AGE_MS: '5000', RECONCILE_INTERVAL_MS: '5000' };
/** People asked for feedback on two ended sessions while the burst runs; the first few answer at once. */
const RATERS = 20;
const ANSWERING = 4;
const REDIS_OUTAGE_MS = 30_000;
/** Concurrent clients sending the burst. */
const CLIENTS = 10;

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

    test(`${BURST} enrolments through worker kills, an API kill, a 30 s Redis outage and a database restart, with reminders coming due`, async () => {
      const started = Date.now();
      const { models } = stack;
      const managers = await createUsers(models, tenantId, BURST, ['manager']);
      const p = await createOpenProgramme(models, tenantId, CAPACITY, { sessions: SESSIONS });
      const tokens = await Promise.all(managers.map((m) => entra.token({ tenantId, userId: m.userId, roles: [APP_ROLE.manager] })));
      const fb = await feedbackProgramme(stack, entra, tenantId, RATERS, ANSWERING);
      const t0 = Date.now();

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

      const [{ accepted, notAnswered }] = await Promise.all([
        sendBurst(stack, { tokens, userIds: managers.map((m) => m.userId), programmeId: p.programmeId, cohortId: p.cohortId, clients: CLIENTS }),
        chaos,
      ]);
      const burstDone = Date.now();
      console.log(`faults:\n  ${faults.join('\n  ')}\nrequests: ${accepted.size} of ${BURST} accepted in ${seconds(burstDone - t0)}; attempts without success: ${JSON.stringify(Object.fromEntries(notAnswered))}`);
      expect(accepted.size).toBeGreaterThan(BURST * 0.9);

      // Let the system settle, then check what must hold whatever failed.
      const { all, requests } = await settle(stack, tenantId, p.programmeId, fb, RATERS, 600000);
      const settled = Date.now();
      const { confirmed, waitlisted } = await expectEnrolmentInvariants(models, { tenantId, programmeId: p.programmeId, cohortId: p.cohortId, capacity: CAPACITY, sessions: SESSIONS, accepted, userIds: managers.map((m) => m.userId), all });
      const { ladders, remindersDue } = await expectLadderInvariants(models, { tenantId, requests, fb, raters: RATERS, answering: ANSWERING });
      // The ladders really ran through the faults.
      const dueInFaults = [...ladders.values()].flat().filter((s) => s.dueAt.getTime() >= faultsFrom && s.dueAt.getTime() <= faultsTo);
      expect(dueInFaults.length).toBeGreaterThanOrEqual(RATERS);

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
