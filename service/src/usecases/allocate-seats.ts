import type { Types } from 'mongoose';
import { decideSeats, type EnrolmentStatus } from '../domain/enrolment';
import { newOutboxEntry, withEvent, type OutboxEntry } from '../events/contracts';
import { ANY_TENANT } from '../data/tenant-guard';
import { topics } from '../events/push';
import { bulkWrite, findIn, isDuplicateKey } from '../data/bulk';
import type { EnrolmentDoc } from '../data/models';
import { inLanes } from '../lanes';
import type { Deps } from './deps';
import { releaseLease, takeLease } from './lease';
import { takeTurn, turnId } from './turns';

const LEASE_MS = 15_000;
const BATCH = 200;

export type AllocationOutcome = 'decided' | 'busy' | 'gone';

/**
 * Worker use-case for `enrolment.requested` and `enrolment.withdrawn`: frees the seat of a
 * withdrawn enrolment, then decides the cohort's queue in turn order (see Turn in models.ts).
 *
 * Capacity is enforced by unique seat numbers (never exceeded, even if two allocators overlap);
 * arrival order by turns, which exist only once their enrolment does and come one after another,
 * so a turn can be decided the moment it exists. A lease on the cohort keeps one allocator at a
 * time. Every step is idempotent, so a crash at any point is repaired by running the job again.
 */
export async function allocateSeats(deps: Deps, tenantId: string, enrolmentId: string): Promise<AllocationOutcome> {
  const { Enrolment } = deps.models;
  const enrolment = await Enrolment.findOne({ _id: enrolmentId, tenantId }).lean();
  if (!enrolment) return 'gone';
  if (enrolment.status === 'withdrawn') await releaseSeat(deps, tenantId, enrolment._id);
  else if (enrolment.status !== 'requested') return 'decided';

  const leaseId = `allocate-${String(enrolment.cohortId)}`;
  const owner = await takeLease(deps, leaseId, LEASE_MS);
  if (!owner) {
    // Another allocator holds the cohort; it decides this enrolment too unless it finished first.
    const again = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
    return again && again.status === 'requested' ? 'busy' : 'decided';
  }
  try {
    if ((await decideCohort(deps, tenantId, enrolment.cohortId)).has(enrolmentId) || enrolment.status !== 'requested') return 'decided';
    const after = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
    if (after?.status !== 'requested') return 'decided';
    const [turn, cohort] = await Promise.all([
      deps.models.Turn.findOne({ tenantId, enrolmentId: enrolment._id }, { n: 1, at: 1 }).lean(),
      deps.models.Cohort.findOne({ _id: enrolment.cohortId, tenantId }, { turnsDecided: 1 }).lean(),
    ]);
    if (!turn) {
      // The API takes the turn, but one whose API stopped first has none; it gets it here.
      if ((await takeTurn(deps, tenantId, enrolment.cohortId, enrolment._id)) && (await decideCohort(deps, tenantId, enrolment.cohortId)).has(enrolmentId)) return 'decided';
    } else if (cohort && turn.n <= (cohort.turnsDecided ?? 0)) {
      // Its turn was decided, yet it is undecided again: on FerretDB an outbox removal running
      // alongside the decision can write back the document as it read it (MongoDB updates are
      // atomic). Decided again, in its place.
      const lost: Candidate = { _id: enrolment._id, userId: enrolment.userId, programmeId: enrolment.programmeId, status: 'requested', requestedAt: turn.at, turn: { n: turn.n, at: turn.at } };
      if ((await decideCohort(deps, tenantId, enrolment.cohortId, lost)).has(enrolmentId)) return 'decided';
    }
    return 'busy';
  } finally {
    await releaseLease(deps, leaseId, owner);
  }
}

async function releaseSeat(deps: Deps, tenantId: string, enrolmentId: Types.ObjectId): Promise<void> {
  await deps.models.Seat.deleteOne({ tenantId, enrolmentId });
  await deps.models.ParticipantSession.updateMany({ tenantId, enrolmentId }, { $set: { status: 'cancelled' } });
}

type Candidate = { _id: Types.ObjectId; userId: string; programmeId: Types.ObjectId; status: EnrolmentStatus; requestedAt: Date; turn: { n: number; at: Date } | null };

/** A decision stored in this pass, with the event it wrote: published and pushed from memory. */
type Stored = Pick<Candidate, '_id' | 'userId' | 'programmeId'> & { status: 'confirmed' | 'waitlisted'; outbox: OutboxEntry[] };

/**
 * Decides the cohort's queue: while seats are free, the waitlist first (its turns came earlier),
 * then the undecided turns in order, as many as there are seats; once full, the undecided turns
 * are waitlisted. Then the cohort's `turnsDecided` moves past every turn no longer undecided.
 * `lost`, an enrolment whose decision was undone after its turn was passed, is decided with the
 * waitlist, in its arrival order. Returns the enrolments it decided.
 */
async function decideCohort(deps: Deps, tenantId: string, cohortId: Types.ObjectId, lost?: Candidate): Promise<Set<string>> {
  const { Enrolment, Cohort, Seat, Turn, SessionPlan } = deps.models;
  const fields = { status: 1, userId: 1, programmeId: 1, turn: 1, requestedAt: 1 } as const;
  const decidedIds = new Set<string>();
  for (;;) {
    const [cohort, seats] = await Promise.all([
      Cohort.findOne({ _id: cohortId, tenantId }).lean(),
      // The cohort's seats, read once per pass: what is taken, by whom, and which numbers are free.
      Seat.find({ tenantId, cohortId }, { seatNo: 1, enrolmentId: 1 }).lean(),
    ]);
    if (!cohort) return decidedIds;
    const held = { numbers: new Set(seats.map((x) => x.seatNo)), by: new Set(seats.map((x) => String(x.enrolmentId))) };
    const taken = seats.length;
    const free = cohort.capacity - taken;
    const [waiting, turns, sessions] = await Promise.all([
      free > 0 ? Enrolment.find({ tenantId, cohortId, status: 'waitlisted' }, fields).sort({ requestedAt: 1, _id: 1 }).limit(Math.min(free, BATCH)).lean() : Promise.resolve([]),
      Turn.find({ tenantId, cohortId, n: { $gt: cohort.turnsDecided ?? 0 } }, { n: 1, at: 1, enrolmentId: 1 }).sort({ n: 1 }).limit(BATCH).lean(),
      // The cohort's sessions, booked for everyone confirmed in this pass (none can be while it is full).
      free > 0 ? SessionPlan.find({ tenantId, cohortId, cancelled: false }, { _id: 1 }).lean() : Promise.resolve([]),
    ]);
    const queued = await findIn<EnrolmentDoc>(Enrolment, tenantId, '_id', turns.map((t) => String(t.enrolmentId)), fields, { perValueUpTo: BATCH });
    const byId = new Map(queued.map((e) => [String(e._id), e]));
    const arrival = (c: Candidate) => (c.turn?.at ?? c.requestedAt).getTime();
    const earlier: Candidate[] = [...waiting.map((e) => ({ ...e, turn: null })), ...(lost && !decidedIds.has(String(lost._id)) ? [lost] : [])];
    const candidates: Candidate[] = [
      ...earlier.sort((a, b) => arrival(a) - arrival(b) || String(a._id).localeCompare(String(b._id))),
      ...turns.flatMap((t) => {
        const e = byId.get(String(t.enrolmentId));
        return e && e.status === 'requested' ? [{ ...e, turn: { n: t.n, at: t.at } }] : [];
      }),
    ];
    // A candidate may already hold a seat (a pass that stopped between the seat and the status, or
    // one running alongside): it is confirmed with the seat it has, and that seat is not free for others.
    const seated = new Set(candidates.map((c) => String(c._id)).filter((id) => held.by.has(id)));
    // While seats are free only as many as there are seats are decided, and nobody is waitlisted
    // until the cohort is full: a pass that overlaps another can then never waitlist too many.
    const others = candidates.filter((c) => !seated.has(String(c._id)));
    const decisions = [
      ...candidates.filter((c) => seated.has(String(c._id))).map((c) => ({ id: String(c._id), decision: 'confirm' as const })),
      ...decideSeats(cohort.capacity, taken, (free > 0 ? others.slice(0, free) : others).map((c) => ({ id: String(c._id), status: c.status }))),
    ];
    const candidate = (id: string) => candidates.find((c) => String(c._id) === id)!;

    const now = deps.now();
    const stored: Stored[] = [];
    // Whether every decision's outcome is known here; when not, the decided enrolments are read back.
    let known = true;
    const toWaitlist = decisions.filter((d) => d.decision === 'waitlist').map((d) => ({ c: candidate(d.id), entry: newOutboxEntry('enrolment.waitlisted', now) }));
    if (toWaitlist.length > 0) {
      const { modified } = await bulkWrite(Enrolment, toWaitlist.map(({ c, entry }) => ({
          updateOne: {
            filter: { _id: c._id, tenantId, status: 'requested' },
            update: withEvent({ $set: { status: 'waitlisted', decidedAt: now, ...placeOf(c) } }, entry),
          },
        })));
      // Fewer changed than sent: some were withdrawn meanwhile, and which is read below.
      if (modified === toWaitlist.length) stored.push(...toWaitlist.map(({ c, entry }) => ({ ...c, status: 'waitlisted' as const, outbox: [entry] })));
      else known = false;
    }
    // Four people confirmed at a time: each is a few statements that mostly wait on the database,
    // and their seats are told apart by number (takeSeat reserves one before it writes it).
    const confirming = decisions.filter((x) => x.decision === 'confirm').map((d) => candidate(d.id));
    const entries = new Map<Candidate, OutboxEntry>();
    await inLanes(confirming, async (c) => {
      const entry = await confirm(deps, tenantId, { capacity: cohort.capacity, held, sessions }, c, cohortId);
      if (entry) entries.set(c, entry);
    });
    for (const c of confirming) if (entries.has(c)) stored.push({ ...c, status: 'confirmed', outbox: [entries.get(c)!] });
    if (!known) {
      const ids = toWaitlist.map(({ c }) => String(c._id));
      const read = await findIn<EnrolmentDoc>(Enrolment, tenantId, '_id', ids, { tenantId: 1, outbox: 1, userId: 1, programmeId: 1, status: 1 }, { perValueUpTo: BATCH });
      stored.push(...read.filter((e) => e.status === 'waitlisted').map((e) => ({ ...e, status: 'waitlisted' as const, outbox: e.outbox.filter((o) => o.type === 'enrolment.waitlisted') as OutboxEntry[] })));
    }
    for (const s of stored) decidedIds.add(String(s._id));
    // Publish the decisions' events now (whatever fails here the relay picks up), and push each
    // decision to the manager's open card.
    await deps.publisher.publishAll('enrolment', stored.map((s) => ({ _id: s._id, tenantId, outbox: s.outbox })));
    await Promise.all(stored.map((e) => deps.push?.publish({ topic: topics.user(tenantId, e.userId), type: 'enrolment', data: { enrolmentId: String(e._id), programmeId: String(e.programmeId), status: e.status } })));

    // A turn is still open when its enrolment was waiting and is not decided now (one withdrawn
    // meanwhile counts as open until a later pass reads it).
    const open = new Set(candidates.filter((c) => c.turn && !decidedIds.has(String(c._id))).map((c) => String(c._id)));
    const advanced = await advanceQueue(deps, tenantId, cohortId, turns, open);
    if (stored.length === 0 && !advanced) return decidedIds; // no progress (seats gone meanwhile, or nothing to do): stop
    // Everything this pass read is decided and nothing more was waiting: another pass is only worth
    // its reads (every seat of the cohort among them) if a turn came meanwhile, which one lookup by
    // id tells. One that comes after it has its own job, which decides it.
    const settled = open.size === 0 && turns.length < BATCH && waiting.length < BATCH;
    const nextTurn = (turns.length ? turns[turns.length - 1]!.n : (cohort.turnsDecided ?? 0)) + 1;
    if (settled && !(await Turn.exists({ _id: turnId(tenantId, cohortId, nextTurn), tenantId }))) return decidedIds;
  }
}

/** A decided enrolment records its turn, and its time as requestedAt (arrival order is turn order). */
function placeOf(c: Candidate): Record<string, unknown> {
  return c.turn ? { turn: c.turn.n, requestedAt: c.turn.at } : {};
}

/** Moves the cohort's `turnsDecided` past the leading turns whose enrolments are not `open` (still undecided). */
async function advanceQueue(deps: Deps, tenantId: string, cohortId: Types.ObjectId, turns: { n: number; enrolmentId: Types.ObjectId }[], open: Set<string>): Promise<boolean> {
  let through = 0;
  for (const t of turns) {
    if (open.has(String(t.enrolmentId))) break;
    through = t.n;
  }
  if (through === 0) return false;
  const res = await deps.models.Cohort.updateOne({ _id: cohortId, tenantId, turnsDecided: { $lt: through } }, { $set: { turnsDecided: through } });
  return res.modifiedCount > 0;
}

/** The seats this pass has seen taken: their numbers, and the enrolments holding them. */
type HeldSeats = { numbers: Set<number>; by: Set<string> };

/** Takes a free seat number, or finds the one already held (after a crash, or by a concurrent attempt). */
async function takeSeat(deps: Deps, tenantId: string, cohortId: Types.ObjectId, capacity: number, held: HeldSeats, enrolmentId: Types.ObjectId): Promise<boolean> {
  const { Seat } = deps.models;
  if (held.by.has(String(enrolmentId))) return true;
  for (let seatNo = 1; seatNo <= capacity; seatNo++) {
    if (held.numbers.has(seatNo)) continue;
    // Reserved before the write, so that confirmations running beside this one try other numbers.
    held.numbers.add(seatNo);
    try {
      await Seat.create({ tenantId, cohortId, seatNo, enrolmentId });
      held.by.add(String(enrolmentId));
      return true;
    } catch (err) {
      // Taken meanwhile (the number's index refused it: it stays marked), or this enrolment got a seat in a concurrent attempt.
      if (!isDuplicateKey(err) || (err as { keyPattern?: Record<string, unknown> }).keyPattern?.seatNo === undefined) held.numbers.delete(seatNo);
      if (!isDuplicateKey(err)) throw err;
      if (await Seat.exists({ tenantId, enrolmentId })) return true;
    }
  }
  return false;
}

/** Takes a seat, books the cohort's sessions for the person, then marks the enrolment confirmed; returns the event it wrote. */
async function confirm(
  deps: Deps,
  tenantId: string,
  cohortState: { capacity: number; held: HeldSeats; sessions: { _id: Types.ObjectId }[] },
  candidate: Candidate,
  cohortId: Types.ObjectId,
): Promise<OutboxEntry | null> {
  const { Enrolment, ParticipantSession } = deps.models;
  const { _id: enrolmentId, userId, programmeId } = candidate;
  const { capacity, held, sessions } = cohortState;
  if (!(await takeSeat(deps, tenantId, cohortId, capacity, held, enrolmentId))) return null; // full after all

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
  const entry = newOutboxEntry(candidate.status === 'waitlisted' ? 'enrolment.promoted' : 'enrolment.confirmed', now);
  const result = await Enrolment.updateOne(
    { _id: enrolmentId, tenantId, status: candidate.status },
    withEvent({ $set: { status: 'confirmed', decidedAt: now, ...placeOf(candidate) } }, entry),
  );
  if (result.modifiedCount === 0) {
    // Withdrawn while we booked: give the seat back.
    const current = await Enrolment.findOne({ _id: enrolmentId, tenantId }, { status: 1 }).lean();
    if (current?.status === 'withdrawn') await releaseSeat(deps, tenantId, enrolmentId);
    return null;
  }
  return entry;
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
