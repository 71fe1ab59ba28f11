import type { Types } from 'mongoose';
import { decideSeats, type EnrolmentStatus } from '../domain/enrolment';
import { newOutboxEntry } from '../events/contracts';
import { ANY_TENANT } from '../data/tenant-guard';
import { topics } from '../events/push';
import { bulkWrite, isDuplicateKey } from '../data/bulk';
import type { Deps } from './deps';
import { releaseLease, takeLease } from './lease';

const LEASE_MS = 15_000;
const BATCH = 200;
/**
 * Requests are decided only once they are this old. An API instance stamps `requestedAt` just
 * before its insert lands, so without this pause a request stamped earlier could become visible
 * after a later one was already given the last seat.
 */
const SETTLE_MS = 300;

export type AllocationOutcome = 'decided' | 'busy' | 'gone';


/**
 * Worker use-case for `enrolment.requested` and `enrolment.withdrawn`: frees the seat of a
 * withdrawn enrolment, then decides every undecided enrolment of the cohort in arrival order.
 *
 * Capacity is enforced by unique seat numbers (never exceeded, even if two allocators overlap);
 * a lease on the cohort keeps decisions in arrival order. Every step is idempotent, so a crash at
 * any point is repaired by running the job again.
 */
export async function allocateSeats(deps: Deps, tenantId: string, enrolmentId: string): Promise<AllocationOutcome> {
  const { Enrolment } = deps.models;
  const enrolment = await Enrolment.findOne({ _id: enrolmentId, tenantId }).lean();
  if (!enrolment) return 'gone';
  if (enrolment.status === 'withdrawn') await releaseSeat(deps, tenantId, enrolment._id);
  else if (enrolment.status !== 'requested') return 'decided';
  else {
    // Its job usually arrives within milliseconds of the insert, before the request may be decided
    // (SETTLE_MS): wait out the rest here rather than make a pass that can only answer 'busy'.
    const wait = enrolment.requestedAt.getTime() + SETTLE_MS - deps.now().getTime();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  const leaseId = `allocate-${String(enrolment.cohortId)}`;
  const owner = await takeLease(deps, leaseId, LEASE_MS);
  if (!owner) {
    // Another allocator holds the cohort; it decides this enrolment too unless it finished first.
    const again = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
    return again && again.status === 'requested' ? 'busy' : 'decided';
  }
  try {
    await decideCohort(deps, tenantId, enrolment.cohortId);
  } finally {
    await releaseLease(deps, leaseId, owner);
  }
  // Too fresh to decide yet (see SETTLE_MS): the caller tries again in a moment.
  const after = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
  return after?.status === 'requested' ? 'busy' : 'decided';
}

async function releaseSeat(deps: Deps, tenantId: string, enrolmentId: Types.ObjectId): Promise<void> {
  await deps.models.Seat.deleteOne({ tenantId, enrolmentId });
  await deps.models.ParticipantSession.updateMany({ tenantId, enrolmentId }, { $set: { status: 'cancelled' } });
}

async function decideCohort(deps: Deps, tenantId: string, cohortId: Types.ObjectId): Promise<void> {
  const { Enrolment, Cohort, Seat } = deps.models;
  for (;;) {
    const cohort = await Cohort.findOne({ _id: cohortId, tenantId }).lean();
    if (!cohort) return;
    const taken = await Seat.countDocuments({ tenantId, cohortId });
    const free = cohort.capacity - taken;
    const settled = new Date(deps.now().getTime() - SETTLE_MS);
    const candidates = await Enrolment.find(
      { tenantId, cohortId, status: free > 0 ? { $in: ['requested', 'waitlisted'] } : 'requested', requestedAt: { $lte: settled } },
      { status: 1, userId: 1, programmeId: 1, requestedAt: 1 },
    )
      .sort({ requestedAt: 1, _id: 1 })
      .limit(free > 0 ? Math.min(free, BATCH) : BATCH)
      .lean();
    if (candidates.length === 0) return;
    const decisions = decideSeats(cohort.capacity, taken, candidates.map((c) => ({ id: String(c._id), status: c.status })));
    if (decisions.length === 0) return;

    const toWaitlist = decisions.filter((d) => d.decision === 'waitlist').map((d) => d.id);
    if (toWaitlist.length > 0) {
      const now = deps.now();
      await bulkWrite(Enrolment, toWaitlist.map((id) => ({
          updateOne: {
            filter: { _id: id, tenantId, status: 'requested' },
            update: { $set: { status: 'waitlisted', decidedAt: now }, $push: { outbox: newOutboxEntry('enrolment.waitlisted', now) } },
          },
        })));
    }
    let confirmed = 0;
    for (const d of decisions) {
      if (d.decision !== 'confirm') continue;
      const candidate = candidates.find((c) => String(c._id) === d.id)!;
      if (await confirm(deps, tenantId, cohort.capacity, candidate, cohortId)) confirmed += 1;
    }
    // Publish the decisions' events now; whatever fails here the relay picks up.
    const decided = await Enrolment.find({ tenantId, _id: { $in: decisions.map((d) => d.id) }, 'outbox.at': { $exists: true } }, { tenantId: 1, outbox: 1 }).lean();
    for (const doc of decided) await deps.publisher.publish('enrolment', doc);
    // The managers' open cards show the decision now, without waiting for their next poll.
    const states = await Enrolment.find({ tenantId, _id: { $in: decisions.map((d) => d.id) } }, { userId: 1, programmeId: 1, status: 1 }).lean();
    for (const e of states) await deps.push?.publish({ topic: topics.user(tenantId, e.userId), type: 'enrolment', data: { enrolmentId: String(e._id), programmeId: String(e.programmeId), status: e.status } });
    if (toWaitlist.length === 0 && confirmed === 0) return; // no progress (seats gone meanwhile): stop
  }
}

/** Takes a free seat number, or finds the one already held (after a crash). */
async function takeSeat(deps: Deps, tenantId: string, cohortId: Types.ObjectId, capacity: number, enrolmentId: Types.ObjectId): Promise<boolean> {
  const { Seat } = deps.models;
  if (await Seat.exists({ tenantId, enrolmentId })) return true;
  const used = new Set((await Seat.find({ tenantId, cohortId }, { seatNo: 1 }).lean()).map((s) => s.seatNo));
  for (let seatNo = 1; seatNo <= capacity; seatNo++) {
    if (used.has(seatNo)) continue;
    try {
      await Seat.create({ tenantId, cohortId, seatNo, enrolmentId });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Taken meanwhile, or this enrolment got a seat in a concurrent attempt.
      if (await Seat.exists({ tenantId, enrolmentId })) return true;
    }
  }
  return false;
}

/** Takes a seat, books the cohort's sessions for the person, then marks the enrolment confirmed. */
async function confirm(
  deps: Deps,
  tenantId: string,
  capacity: number,
  candidate: { _id: Types.ObjectId; userId: string; programmeId: Types.ObjectId; status: EnrolmentStatus },
  cohortId: Types.ObjectId,
): Promise<boolean> {
  const { Enrolment, SessionPlan, ParticipantSession } = deps.models;
  const { _id: enrolmentId, userId, programmeId } = candidate;
  if (!(await takeSeat(deps, tenantId, cohortId, capacity, enrolmentId))) return false; // full after all

  const sessions = await SessionPlan.find({ tenantId, cohortId, cancelled: false }, { _id: 1 }).lean();
  if (sessions.length > 0) {
    await bulkWrite(ParticipantSession, sessions.map((s) => ({
        updateOne: {
          filter: { tenantId, enrolmentId, sessionId: s._id },
          update: { $setOnInsert: { tenantId, enrolmentId, sessionId: s._id, programmeId, userId }, $set: { status: 'scheduled' } },
          upsert: true,
        },
      })));
  }
  const now = deps.now();
  const event = candidate.status === 'waitlisted' ? 'enrolment.promoted' : 'enrolment.confirmed';
  const result = await Enrolment.updateOne(
    { _id: enrolmentId, tenantId, status: candidate.status },
    { $set: { status: 'confirmed', decidedAt: now }, $push: { outbox: newOutboxEntry(event, now) } },
  );
  if (result.modifiedCount === 0) {
    // Withdrawn while we booked: give the seat back.
    const current = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
    if (current?.status === 'withdrawn') await releaseSeat(deps, tenantId, enrolmentId);
    return false;
  }
  return true;
}

/**
 * Repairs enrolments left undecided when their job was lost or gave up during an outage (the
 * database restarting, Redis down for longer than the retries): decides them now. Idempotent, so
 * running it while the normal jobs also run changes nothing twice.
 */
export async function reconcileStuckEnrolments(deps: Deps, olderThanMs: number, limit = 100): Promise<number> {
  const stuck = await deps.models.Enrolment.find(
    { tenantId: ANY_TENANT, status: 'requested', requestedAt: { $lt: new Date(deps.now().getTime() - olderThanMs) } },
    { tenantId: 1 },
  )
    .sort({ requestedAt: 1 })
    .limit(limit)
    .lean();
  let decided = 0;
  for (const e of stuck) if ((await allocateSeats(deps, e.tenantId, String(e._id))) === 'decided') decided += 1;
  return decided;
}
