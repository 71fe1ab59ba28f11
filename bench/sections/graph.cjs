// 4. Notification delivery through the Microsoft Graph stand-in with a rate limit set
// (GRAPH_MAX_PER_SECOND): sustained Graph calls per second against the configured limit, and the
// most calls seen in any 1-second window (must not exceed the limit).
//
// Load: N enrolments left confirmed with their `enrolment.confirmed` event in the outbox (as the
// allocator leaves them), then the workers start: the relay queues one notification job (one
// activity-feed send) and one scheduling job (one Outlook event per booked session) per enrolment.
// Phase A: sessions booked (feed + calendar calls); phase B: no sessions (activity feed only).
'use strict';
const { randomUUID } = require('node:crypto');
const { Types } = require('mongoose');
const c = require('../lib/common.cjs');
const { createUsers, createOpenProgramme } = require('../lib/fixtures.cjs');

const LIMIT = Number(process.env.GRAPH_LIMIT || 20);
const N = Number(process.env.GRAPH_N || 300);
const SESSIONS = Number(process.env.GRAPH_SESSIONS || 3);

async function seedConfirmed(s, tenantId, n, sessions) {
  const { newOutboxEntry } = c.dist('service/src/events/contracts');
  const { programmeId, cohortId, sessionIds } = await createOpenProgramme(s.models, tenantId, n, { sessions });
  const users = await createUsers(s.models, tenantId, n, ['manager']);
  const at = new Date(Date.now() - 60_000); // old enough for the relay's first pass
  const enrolments = users.map((u) => ({
    _id: new Types.ObjectId(),
    tenantId,
    programmeId,
    cohortId,
    userId: u.userId,
    status: 'confirmed',
    attempt: 1,
    requestedAt: at,
    decidedAt: at,
    outbox: [newOutboxEntry('enrolment.confirmed', at)],
    // As withEvent marks it: the relay finds waiting events by this mark.
    outboxPending: true,
  }));
  for (let i = 0; i < enrolments.length; i += 500) await s.models.Enrolment.insertMany(enrolments.slice(i, i + 500));
  const bookings = enrolments.flatMap((e) => sessionIds.map((sid) => ({ tenantId, enrolmentId: e._id, sessionId: sid, programmeId, userId: e.userId, status: 'scheduled' })));
  for (let i = 0; i < bookings.length; i += 1000) await s.models.ParticipantSession.insertMany(bookings.slice(i, i + 1000));
  await s.models.Seat.insertMany(enrolments.map((e, i) => ({ tenantId, cohortId, seatNo: i + 1, enrolmentId: e._id })));
}

async function phase(ctx, graph, label, sessions) {
  const s = await c.startStack(ctx, `graph${label}`, {
    api: false,
    workers: false,
    env: { ...graph.env(), GRAPH_MAX_PER_SECOND: String(LIMIT), TEAMS_APP_ID: 'c0ac4e5a-0000-4000-8000-000000000001' },
  });
  try {
    const tenantId = randomUUID();
    await seedConfirmed(s, tenantId, N, sessions);
    const before = graph.requests.length;
    const expected = N * (1 + sessions);
    s.workers.start();
    const t0 = Date.now();
    // The rate figures hold on whatever arrived: past the deadline the phase is reported as incomplete.
    const deadline = Date.now() + Number(process.env.GRAPH_MAX_S || 60 + (expected / LIMIT) * 5) * 1000;
    while (graph.requests.length - before < expected && Date.now() < deadline) await c.sleep(250);
    const calls = graph.requests.slice(before);
    if (calls.length < 2) throw new Error(`only ${calls.length} Graph calls in time`);
    const times = calls.map((r) => r.at);
    const feed = calls.filter((r) => r.path.endsWith('/sendActivityNotification')).map((r) => r.at);
    const calendar = calls.filter((r) => /\/events$/.test(r.path)).map((r) => r.at);
    const span = (ts) => (ts.length > 1 ? (Math.max(...ts) - Math.min(...ts)) / 1000 : null);
    const rate = (ts) => (ts.length > 1 ? (ts.length - 1) / span(ts) : null);
    return {
      label,
      sessionsPerEnrolment: sessions,
      calls: calls.length,
      expected,
      complete: calls.length >= expected,
      feedCalls: feed.length,
      calendarCalls: calendar.length,
      secondsFromStart: (Math.max(...times) - t0) / 1000,
      sustainedPerSecond: rate(times),
      maxIn1s: c.maxInWindow(times, 1000),
      feedPerSecond: rate(feed),
      feedMaxIn1s: c.maxInWindow(feed, 1000),
      calendarPerSecond: rate(calendar),
      calendarMaxIn1s: c.maxInWindow(calendar, 1000),
    };
  } finally {
    await s.stop();
  }
}

async function run(ctx) {
  const { GraphStandIn } = c.loadStandIns();
  const graph = await GraphStandIn.start();
  const phases = [];
  try {
    ctx.log(`  phase A: ${N} confirmed enrolments × (1 feed + ${SESSIONS} calendar calls), limit ${LIMIT}/s`);
    phases.push(await phase(ctx, graph, 'A', SESSIONS));
    ctx.log(`    ${phases[0].calls} calls: ${phases[0].sustainedPerSecond.toFixed(1)}/s sustained, max ${phases[0].maxIn1s} in 1 s`);
    ctx.log(`  phase B: ${N} confirmed enrolments × 1 feed call, limit ${LIMIT}/s`);
    phases.push(await phase(ctx, graph, 'B', 0));
    ctx.log(`    ${phases[1].calls} calls: ${phases[1].sustainedPerSecond.toFixed(1)}/s sustained, max ${phases[1].maxIn1s} in 1 s`);
  } finally {
    await graph.close();
  }
  const verdict = (max) => (max > LIMIT ? `EXCEEDS limit ${LIMIT}` : `within limit ${LIMIT}`);
  return {
    title: 'Graph delivery under GRAPH_MAX_PER_SECOND',
    config: { limit: LIMIT, enrolments: N, sessionsPerEnrolment: SESSIONS },
    phases,
    table: phases.flatMap((p) => [
      {
        figure: `Graph ${p.label === 'A' ? 'feed+calendar' : 'feed only'} (${p.calls}${p.complete ? '' : ` of ${p.expected}, time budget`} calls): sustained`,
        value: `${c.round(p.sustainedPerSecond)}/s (feed ${c.round(p.feedPerSecond) ?? '-'}/s, calendar ${c.round(p.calendarPerSecond) ?? '-'}/s)`,
        baseline: `limit ${LIMIT}/s`,
        ratio: c.round(p.sustainedPerSecond / LIMIT, 2),
      },
      {
        figure: `Graph ${p.label === 'A' ? 'feed+calendar' : 'feed only'}: max in any 1 s`,
        value: `${p.maxIn1s} calls — ${verdict(p.maxIn1s)}`,
        baseline: `limit ${LIMIT}`,
        ratio: c.round(p.maxIn1s / LIMIT, 2),
      },
    ]),
  };
}

module.exports = { name: 'graph', run };
