import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { Stack } from '../support/stack';
import { lastStep } from '../support/ladders';

/** Weekday time zones where "now" is mid-week and not near midnight, so a short quiet window fits in today. */
function zoneWithWeekdayNow(): { zone: string; hhmm: (offsetMin: number) => string } | null {
  for (const zone of ['Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'America/Sao_Paulo', 'Australia/Sydney', 'Pacific/Honolulu']) {
    const parts = (d: Date) => Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((p) => [p.type, p.value]));
    const now = parts(new Date());
    const later = parts(new Date(Date.now() + 4 * 60_000));
    if (['Sat', 'Sun'].includes(now.weekday!) || now.weekday !== later.weekday || Number(now.hour) >= 23 || (Number(now.hour) === 0 && Number(now.minute) < 5)) continue;
    return { zone, hhmm: (offsetMin) => { const p = parts(new Date(Date.now() + offsetMin * 60_000)); return `${p.hour}:${p.minute}`; } };
  }
  return null; // a weekend everywhere we look: the weekend rule is covered by the unit tests
}

/**
 * The ladder against real Redis with quiet hours in the recipient's own time zone: reminders that
 * fall due inside the quiet window go out when it ends, never inside it.
 */
describe('reminder ladder and quiet hours in the recipient time zone', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  const found = zoneWithWeekdayNow();
  const zone = found?.zone ?? 'UTC';
  const hhmm = found?.hhmm ?? (() => '00:00');
  const quietEnd = hhmm(2); // the quiet window runs from a minute ago until about two minutes from now
  const maybe = found ? test : test.skip;

  beforeAll(async () => {
    if (!found) return;
    entra = await EntraStandIn.start();
    stack = await Stack.start({
      env: {
        ...entra.env(),
        LADDER_WORKING_DAY_MS: '1000',
        LADDER_REMINDER_DAYS: '2,4',
        LADDER_ESCALATE_AFTER_DAYS: '2',
        LADDER_CLOSE_AFTER_DAYS: '2',
        LADDER_RESPECT_QUIET_HOURS: 'true',
        QUIET_HOURS_START: hhmm(-1),
        QUIET_HOURS_END: quietEnd,
        FEEDBACK_SWEEP_INTERVAL_MS: '300',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  maybe(`reminders due in quiet hours (${zone}) wait for the end of them, then the ladder completes once`, async () => {
    const [owner, manager] = await createUsers(stack.models, tenantId, 2, ['manager']);
    await stack.models.User.updateOne({ tenantId, userId: manager!.userId }, { $set: { timeZone: zone } });
    const p = await createOpenProgramme(stack.models, tenantId, 5, { sessions: 1 });
    await stack.models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner!.userId } });
    const r = await stack.request('POST', `/api/programmes/${p.programmeId}/enrolments`, { token: await entra.token({ tenantId, userId: manager!.userId, roles: [APP_ROLE.manager] }), body: { cohortId: p.cohortId } });
    await stack.eventually(async () => (await stack.models.Enrolment.findById(r.json.enrolment.id).lean())?.status === 'confirmed', 20000, 'confirmed');
    await stack.models.SessionPlan.updateOne({ tenantId, programmeId: p.programmeId }, { $set: { startsAt: new Date(Date.now() - 2 * 3600_000), durationMinutes: 60 } });
    const request = await stack.eventually(async () => {
      const x = await stack.models.FeedbackRequest.findOne({ tenantId, recipientId: manager!.userId }).lean();
      return x && (await stack.models.FeedbackLadder.findById(x._id).lean())?.ladder.length === 4 ? x : null;
    }, 15000, 'ladder planned');
    const { ladder } = (await stack.models.FeedbackLadder.findById(request._id).lean())!;
    const remindersDue = ladder.filter((s) => s.step === 'remind_1' || s.step === 'remind_2').map((s) => s.dueAt!.getTime());
    // Without quiet hours they would be due 2 s and 4 s after sending; both were moved to the end of the window.
    expect(remindersDue.every((t) => t - request.sentAt.getTime() > 30_000)).toBe(true);
    // The close step is recorded just after the request is closed: wait for both.
    const closed = await stack.eventually(async () => {
      const x = await stack.models.FeedbackRequest.findById(request._id).lean();
      return x?.status === 'closed_unanswered' && (await lastStep(stack.models, tenantId, request._id)) === 'close' ? x : null;
    }, 240_000, 'ladder closed');
    const reminders = await stack.models.Notification.find({ tenantId, userId: manager!.userId, kind: 'feedback.reminder' }).lean();
    expect(reminders).toHaveLength(2);
    const local = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    // None went out inside the quiet window: each is at or after its end, in the recipient's time zone.
    for (const n of reminders) expect(local(n.createdAt) >= quietEnd).toBe(true);
    expect(await stack.models.Notification.countDocuments({ tenantId, userId: owner!.userId, kind: 'feedback.escalated' })).toBe(1);
    expect(closed.status).toBe('closed_unanswered');
    expect(await lastStep(stack.models, tenantId, request._id)).toBe('close');
  }, 300_000);
});
