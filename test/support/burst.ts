import type { Types } from 'mongoose';
import type { Models } from '../../service/src/data/models';
import { planLadder, type LadderConfig, type PlannedStep } from '../../service/src/domain/reminders';
import { APP_ROLE, type EntraStandIn } from './entra';
import { createOpenProgramme, createUsers, type TestUser } from './fixtures';
import type { Stack } from './stack';
import { lastSteps } from './ladders';

/**
 * An enrolment burst with feedback reminders coming due, and the invariants that must hold after
 * it whatever failed meanwhile: the fault-injection test and the scale-out test share them.
 */

/** One "working day" of the reminder ladder here: remind at +1 and +2 days, escalate +1 later, close +1 later. */
export const WD = 3000;
export const LADDER_ENV = {
  LADDER_WORKING_DAY_MS: String(WD),
  LADDER_REMINDER_DAYS: '1,2',
  LADDER_ESCALATE_AFTER_DAYS: '1',
  LADDER_CLOSE_AFTER_DAYS: '1',
  LADDER_RESPECT_QUIET_HOURS: 'false',
  FEEDBACK_SWEEP_INTERVAL_MS: '3000',
};
/** The same ladder, as the workers plan it from that configuration. */
export const LADDER: LadderConfig = { reminderOffsets: [1, 2], escalateAfter: 1, closeAfter: 1, quietStart: '19:00', quietEnd: '08:00', workingDayMs: WD, respectQuietHours: false };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FeedbackProgramme {
  owner: TestUser;
  programmeId: string;
  sessionA: Types.ObjectId;
  sessionB: Types.ObjectId;
}

/**
 * `raters` managers confirmed on a programme whose session A has ended (each is asked about it, and
 * `answering` of them answer at once); session B ends a day on, or when the caller moves it.
 */
export async function feedbackProgramme(stack: Stack, entra: EntraStandIn, tenantId: string, raters: number, answering: number): Promise<FeedbackProgramme> {
  const { models } = stack;
  const [owner] = (await createUsers(models, tenantId, 1, ['owner'])) as [TestUser];
  const people = await createUsers(models, tenantId, raters, ['manager']);
  const p = await createOpenProgramme(models, tenantId, raters, { sessions: 0 });
  await models.Programme.updateOne({ _id: p.programmeId }, { $set: { createdBy: owner.userId } });
  const session = (title: string, startsAt: Date) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, kind: 'workshop', title, startsAt, durationMinutes: 60, timeZone: 'Europe/London' });
  const now = new Date();
  // Session A is marked as swept until everyone is booked on it, so the sweep sees the whole group.
  const [a, b] = await models.SessionPlan.insertMany([{ ...session('Session A', new Date(Date.now() - 2 * 3600_000)), feedbackRequestedAt: now }, session('Session B', new Date(Date.now() + 86400_000))]);
  const enrolments = await models.Enrolment.insertMany(people.map((r) => ({ tenantId, programmeId: p.programmeId, cohortId: p.cohortId, userId: r.userId, status: 'confirmed', requestedAt: now, decidedAt: now })));
  await models.ParticipantSession.insertMany(enrolments.flatMap((e) => [a!, b!].map((s) => ({ tenantId, enrolmentId: e._id, sessionId: s._id, programmeId: p.programmeId, userId: e.userId }))));
  await models.SessionPlan.updateOne({ _id: a!._id }, { $set: { feedbackRequestedAt: null } });
  // The sweep asks everyone about session A; wait until each has had the first notice (the ladder is then scheduled).
  const requestsA = await stack.eventually(async () => {
    const rs = await models.FeedbackRequest.find({ tenantId, sessionId: a!._id }).lean();
    const notified = await models.Notification.countDocuments({ tenantId, kind: 'feedback.requested', link: { $in: rs.map((r) => `#/feedback?request=${String(r._id)}`) } });
    return rs.length === raters && notified === raters ? rs : null;
  }, 20000, 'feedback requests for session A, each with its first notice');
  // A few answer at once: their ladders must stop.
  for (const r of requestsA.slice(0, answering)) {
    const token = await entra.token({ tenantId, userId: r.recipientId, roles: [APP_ROLE.manager] });
    const res = await stack.request('POST', `/api/feedback/${String(r._id)}/answer`, { token, body: { kind: 'session_feedback', rating: 4, tryNext: 'Listen first', comment: '' } });
    if (res.status !== 200) throw new Error(`answering feedback: ${res.status} ${res.text}`);
  }
  return { owner, programmeId: p.programmeId, sessionA: a!._id, sessionB: b!._id };
}

/**
 * Sends one enrolment per token from `clients` concurrent clients, each sending its next request
 * once the last was answered. Like a real client, one retries (answered idempotently) with growing
 * pauses when there is no answer or a 5xx; each attempt goes to the next API instance, as a load
 * balancer would route a retry away from one that failed.
 */
export async function sendBurst(stack: Stack, opts: { tokens: string[]; userIds: string[]; programmeId: string; cohortId: string; clients: number; baseUrls?: string[] }) {
  const baseUrls = opts.baseUrls ?? [stack.baseUrl];
  const accepted = new Map<string, string>(); // userId → enrolment id answered with success
  const notAnswered = new Map<string, number>(); // why an attempt got no success, for the log
  const byInstance = baseUrls.map(() => 0);
  let next = 0;
  const client = async () => {
    while (next < opts.tokens.length) {
      const i = next++;
      for (let attempt = 0, pause = 250; attempt < 60; attempt++, pause = Math.min(pause * 2, 4000)) {
        const at = (i + attempt) % baseUrls.length;
        const r = await stack
          .request('POST', `/api/programmes/${opts.programmeId}/enrolments`, { token: opts.tokens[i]!, body: { cohortId: opts.cohortId }, timeoutMs: 30_000, baseUrl: baseUrls[at] })
          .catch(() => null);
        if (r && (r.status === 202 || r.status === 200)) {
          accepted.set(opts.userIds[i]!, r.json.enrolment.id);
          byInstance[at]! += 1;
          break;
        }
        const why = r ? String(r.status) : 'no answer';
        notAnswered.set(why, (notAnswered.get(why) ?? 0) + 1);
        if (r && r.status < 500) break; // refused for good: not accepted, which the checks allow
        await sleep(pause * (0.5 + Math.random() / 2));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  return { accepted, notAnswered, byInstance };
}

/** Waits until every enrolment is decided and announced and every feedback request finished. */
export async function settle(stack: Stack, tenantId: string, programmeId: string, fb: FeedbackProgramme, raters: number, timeoutMs: number) {
  const { models } = stack;
  return stack.eventually(async () => {
    const all = await models.Enrolment.find({ tenantId, programmeId }).lean();
    if (!all.every((d) => d.status !== 'requested' && d.outbox.length === 0)) return null;
    const announced = await models.Notification.countDocuments({ tenantId, kind: { $in: ['enrolment.confirmed', 'enrolment.waitlisted'] } });
    if (announced < all.length) return null;
    const requests = await models.FeedbackRequest.find({ tenantId, programmeId: fb.programmeId }).lean();
    if (requests.length !== 2 * raters || !requests.every((r) => r.status !== 'open')) return null;
    // A close step writes the request, then records the step: wait for both.
    const closing = requests.filter((r) => r.status === 'closed_unanswered').map((r) => r._id);
    if ([...(await lastSteps(models, tenantId, closing)).values()].filter((s) => s === 'close').length < closing.length) return null;
    return { all, requests };
  }, timeoutMs, 'every enrolment decided and announced and every feedback request finished');
}

type Settled = Awaited<ReturnType<typeof settle>>;

/**
 * Every request answered with success exists exactly once; capacity holds; every confirmed
 * enrolment has exactly one set of sessions; every decision was announced exactly once.
 */
export async function expectEnrolmentInvariants(models: Models, o: { tenantId: string; programmeId: string; cohortId: string; capacity: number; sessions: number; accepted: Map<string, string>; userIds: string[]; all: Settled['all'] }) {
  const { tenantId, all } = o;
  const ids = new Set(all.map((d) => String(d._id)));
  for (const [userId, id] of o.accepted) {
    expect(ids.has(id)).toBe(true);
    expect(all.filter((d) => d.userId === userId)).toHaveLength(1);
  }
  expect(new Set(all.map((d) => d.userId)).size).toBe(all.length);
  // Capacity holds: every seat taken once, one per confirmed enrolment, the rest waitlisted.
  const confirmed = all.filter((d) => d.status === 'confirmed');
  const waitlisted = all.filter((d) => d.status === 'waitlisted');
  expect(confirmed.length).toBe(Math.min(o.capacity, all.length));
  expect(confirmed.length + waitlisted.length).toBe(all.length);
  const seats = await models.Seat.find({ tenantId, cohortId: o.cohortId }).lean();
  expect(seats.map((s) => String(s.enrolmentId)).sort()).toEqual(confirmed.map((c) => String(c._id)).sort());
  expect(new Set(seats.map((s) => s.seatNo)).size).toBe(seats.length);
  expect(seats.every((s) => s.seatNo >= 1 && s.seatNo <= o.capacity)).toBe(true);
  // Exactly one set of sessions per confirmed enrolment, none for the waitlisted.
  const sessionIds = (await models.SessionPlan.find({ tenantId, programmeId: o.programmeId }, { _id: 1 }).lean()).map((s) => String(s._id)).sort();
  expect(sessionIds).toHaveLength(o.sessions);
  const bookings = await models.ParticipantSession.find({ tenantId, programmeId: o.programmeId }).lean();
  const perEnrolment = new Map<string, string[]>();
  for (const b of bookings) perEnrolment.set(String(b.enrolmentId), [...(perEnrolment.get(String(b.enrolmentId)) ?? []), String(b.sessionId)]);
  expect([...perEnrolment.keys()].sort()).toEqual(confirmed.map((c) => String(c._id)).sort());
  for (const booked of perEnrolment.values()) expect(booked.sort()).toEqual(sessionIds);
  expect(bookings.every((b) => b.status === 'scheduled')).toBe(true);
  // Every decision announced exactly once, with the right news.
  const burstUsers = new Set(o.userIds);
  const notices = (await models.Notification.find({ tenantId, kind: { $in: ['enrolment.confirmed', 'enrolment.waitlisted'] } }, { userId: 1, kind: 1 }).lean()).filter((n) => burstUsers.has(n.userId));
  expect(notices.map((n) => `${n.userId} ${n.kind}`).sort()).toEqual(all.map((d) => `${d.userId} enrolment.${d.status}`).sort());
  return { confirmed, waitlisted };
}

/**
 * Each request's ladder is the one planned from when it was sent; every reminder due while it was
 * open went out exactly once and not before it was due, none after an answer; one escalation per
 * session to the owner. Returns the ladders and how many reminders were due.
 */
export async function expectLadderInvariants(models: Models, o: { tenantId: string; requests: Settled['requests']; fb: FeedbackProgramme; raters: number; answering: number }) {
  const { tenantId, requests, fb } = o;
  const ladders = new Map<string, PlannedStep[]>(requests.map((r) => [String(r._id), planLadder('session_feedback', r.sentAt, r.timeZone, LADDER)]));
  const progress = new Map((await models.FeedbackLadder.find({ tenantId, _id: { $in: requests.map((r) => r._id) } }).lean()).map((l) => [String(l._id), l]));
  expect(progress.size).toBe(requests.length);
  for (const r of requests) expect(progress.get(String(r._id))!.ladder.map((s) => [s.step, s.dueAt])).toEqual(ladders.get(String(r._id))!.map((s) => [s.step, s.dueAt]));
  const done = await lastSteps(models, tenantId, requests.map((r) => r._id));
  const fbNotices = await models.Notification.find({ tenantId, kind: { $in: ['feedback.requested', 'feedback.reminder', 'feedback.escalated'] } }).lean();
  const answered = requests.filter((r) => r.status === 'answered');
  expect(answered).toHaveLength(o.answering);
  let remindersDue = 0;
  for (const r of requests) {
    const link = `#/feedback?request=${String(r._id)}`;
    const mine = fbNotices.filter((n) => n.link === link);
    expect(mine.filter((n) => n.kind === 'feedback.requested')).toHaveLength(1);
    const reminders = mine.filter((n) => n.kind === 'feedback.reminder');
    const ladder = ladders.get(String(r._id))!;
    const due = ladder.filter((s) => s.step.startsWith('remind_') && (r.status !== 'answered' || s.dueAt.getTime() < r.answeredAt!.getTime()));
    if (r.status === 'answered') {
      // An answer stops the ladder: nothing after it (a step due just before the answer may have been overtaken by it).
      expect(reminders.every((n) => n.createdAt.getTime() <= r.answeredAt!.getTime())).toBe(true);
      expect(reminders.length).toBeLessThanOrEqual(due.length);
    } else {
      expect(r.status).toBe('closed_unanswered');
      expect(done.get(String(r._id))).toBe('close');
      expect(reminders.map((n) => n.eventId).sort()).toEqual(due.map((s) => `${String(r._id)}-${s.step}`).sort());
      remindersDue += due.length;
    }
    for (const n of reminders) {
      const step = ladder.find((s) => n.eventId === `${String(r._id)}-${s.step}`);
      expect(step).toBeDefined();
      expect(n.createdAt.getTime()).toBeGreaterThanOrEqual(step!.dueAt.getTime() - 50);
    }
  }
  expect(remindersDue).toBe((2 * o.raters - o.answering) * 2);
  // One escalation digest per session to the programme owner, after the step was due.
  const escalations = fbNotices.filter((n) => n.kind === 'feedback.escalated');
  expect(escalations.map((n) => `${n.userId} ${n.eventId}`).sort()).toEqual([fb.sessionA, fb.sessionB].map((s) => `${fb.owner.userId} escalate-${String(s)}`).sort());
  for (const n of escalations) {
    const sessionId = n.eventId.replace('escalate-', '');
    const earliest = Math.min(...requests.filter((r) => String(r.sessionId) === sessionId && r.status !== 'answered').map((r) => ladders.get(String(r._id))!.find((s) => s.step === 'escalate')!.dueAt.getTime()));
    expect(n.createdAt.getTime()).toBeGreaterThanOrEqual(earliest - 50);
  }
  return { ladders, remindersDue };
}
