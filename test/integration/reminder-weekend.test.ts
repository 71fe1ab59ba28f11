import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUES, reminderJobId } from '../../service/src/events/contracts';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { Stack } from '../support/stack';
import { lastStep } from '../support/ladders';

/** Asia/Dubai is UTC+4 all year (no daylight saving), so its wall clock is plain arithmetic on UTC. */
const ZONE = 'Asia/Dubai';
const ZONE_OFFSET_MS = 4 * 3600_000;
const DAY_MS = 86_400_000;

/** The ISO weekday (1 = Monday … 7 = Sunday) of an instant on the Dubai wall clock. */
const isoWeekday = (ms: number) => new Date(ms + ZONE_OFFSET_MS).getUTCDay() || 7;

/**
 * The weekend is today and tomorrow in the recipient's zone, whatever day the test runs: a
 * Friday–Saturday weekend on a Friday, a Wednesday–Thursday one on a Wednesday. Two days, so a
 * request created just after local midnight still falls inside it.
 */
const today = isoWeekday(Date.now());
const WEEKEND = [today, (today % 7) + 1];

/**
 * 08:00 in Dubai (the end of the default quiet hours) on the first day after `sentAt`'s local date
 * that is not a weekend day: where a reminder held back by the weekend must go out.
 */
function firstWorkingMorningAfter(sentAt: Date): Date {
  const local = new Date(sentAt.getTime() + ZONE_OFFSET_MS); // its UTC fields read as Dubai wall time
  let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) + DAY_MS;
  while (WEEKEND.includes(new Date(day).getUTCDay() || 7)) day += DAY_MS;
  return new Date(day + 8 * 3600_000 - ZONE_OFFSET_MS);
}

/**
 * The configurable weekend against real Redis: a request sent on a day the organisation does not
 * work has its reminder jobs delayed in BullMQ until the first working morning after the weekend,
 * in the recipient's time zone, and nothing fires early. The working day is one second long, so
 * without the weekend every reminder would be due within seconds.
 */
describe('reminder ladder and a configured weekend (REMINDER_WEEKEND_DAYS)', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  let connection: IORedis;
  let queue: Queue;
  const tenantId = randomUUID();

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({
      env: {
        ...entra.env(),
        LADDER_WORKING_DAY_MS: '1000',
        LADDER_REMINDER_DAYS: '2,4',
        LADDER_ESCALATE_AFTER_DAYS: '2',
        LADDER_CLOSE_AFTER_DAYS: '2',
        LADDER_RESPECT_QUIET_HOURS: 'true',
        QUIET_HOURS_START: '19:00',
        QUIET_HOURS_END: '08:00',
        REMINDER_WEEKEND_DAYS: WEEKEND.join(','),
        FEEDBACK_SWEEP_INTERVAL_MS: '300',
      },
    });
    connection = new IORedis(stack.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.reminder, { connection, prefix: stack.env.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await stack?.stop();
    // The delayed steps are days away: remove them rather than leave them in the shared Redis.
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    connection?.disconnect();
    await entra?.close();
  });

  test(`weekend ${WEEKEND.join(',')} in ${ZONE}: the reminder jobs wait in Redis for the first working morning`, async () => {
    const [owner, manager] = await createUsers(stack.models, tenantId, 2, ['manager']);
    await stack.models.User.updateOne({ tenantId, userId: manager!.userId }, { $set: { timeZone: ZONE } });
    const p = await createOpenProgramme(stack.models, tenantId, 5, { sessions: 1 });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner!.userId } });
    const token = await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] });
    const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token, body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(r.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed');
    // The session has just ended: the sweep asks the participant for feedback.
    await stack.models.SessionPlan.updateOne({ tenantId, programmeId: p.programmeId }, { $set: { startsAt: new Date(Date.now() - 2 * 3600_000), durationMinutes: 60 } });
    const request = await stack.eventually(async () => {
      const x = await stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId }).lean();
      return x && (await stack.models.FeedbackLadder.findById(x._id).lean())?.ladder.length === 4 ? x : null;
    }, 15000, 'ladder planned');
    const { ladder } = (await stack.models.FeedbackLadder.findById(request._id).lean())!;
    const id = String(request._id);
    const sentAt = request.sentAt.getTime();
    expect(request.timeZone).toBe(ZONE);
    expect(WEEKEND).toContain(isoWeekday(sentAt)); // sent on a weekend day, in the recipient's zone

    const expected = firstWorkingMorningAfter(request.sentAt);
    expect(expected.getTime() - sentAt).toBeGreaterThan(8 * 3600_000); // hours away, not the ladder's 2 s
    const due: Record<string, number> = Object.fromEntries(ladder.map((s) => [String(s.step), s.dueAt!.getTime()]));
    // Both reminders (2 s and 4 s after sending without the weekend) go out at 08:00 on the first working
    // day; the escalation 2 s after that (a working day, outside quiet hours); the close 2 s later.
    expect(due).toEqual({
      remind_1: expected.getTime(),
      remind_2: expected.getTime(),
      escalate: expected.getTime() + 2000,
      close: expected.getTime() + 4000,
    });

    // In Redis: each step is a delayed job whose fire time (added at + delay) is that due time.
    const fireAt = async (step: string) => {
      const job = await queue.getJob(reminderJobId(request.batch!, step, new Date(due[step]!)));
      expect(job).toBeDefined();
      expect(await job!.getState()).toBe('delayed');
      return job!.timestamp + job!.delay;
    };
    // The ladder is stored just before its step jobs are queued.
    await stack.eventually(async () => (await Promise.all(Object.keys(due).map((step) => queue.getJob(reminderJobId(request.batch!, step, new Date(due[step]!)))))).every(Boolean) || null, 10000, 'the step jobs queued');
    for (const [step, dueAt] of Object.entries(due)) {
      expect(Math.abs((await fireAt(step)) - dueAt)).toBeLessThan(1000);
    }
    // The ladder's four steps are the only step jobs waiting (the sweep's scheduler keeps its own delayed job).
    expect((await queue.getDelayed()).filter((j) => j.name === 'steps').map((j) => j.id).sort()).toEqual(Object.keys(due).map((step) => reminderJobId(request.batch!, step, new Date(due[step]!))).sort());

    // Not early: wait past the unshifted times of every step (2, 4, 6 and 8 s after sending).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + 9000 - Date.now())));
    for (const step of Object.keys(due)) expect(await (await queue.getJob(reminderJobId(request.batch!, step, new Date(due[step]!))))!.getState()).toBe('delayed');
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: manager!.userId, kind: 'feedback.reminder' })).toBe(0);
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: owner!.userId, kind: 'feedback.escalated' })).toBe(0);
    expect(await stack.models.FeedbackRequest.findById(request._id).lean()).toMatchObject({ status: 'open' });
    expect(await lastStep(stack.models, tenantId, request._id)).toBe('notify');
    // The first notice itself is not held back: it went out when the request was created.
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: manager!.userId, kind: 'feedback.requested' })).toBe(1);
  }, 90_000);
});
