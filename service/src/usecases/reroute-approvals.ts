import { findIn } from '../data/bulk';
import { approverNow } from '../domain/enrolment';
import { newOutboxEntry, withEvent } from '../events/contracts';
import type { Deps } from './deps';
import { takeTurn } from './turns';

/**
 * After the directory changed (a sync or an HR import): every enrolment of the tenant awaiting
 * approval goes to whoever decides it now (domain approverNow). A new approver is asked (the
 * notification follows from the outbox); with nobody to ask, the request goes on to seat
 * allocation. Reads the enrolments awaiting approval (a handful at any time) and their people.
 * Idempotent: each move is conditional on the approver it replaces.
 */
export async function rerouteApprovals(deps: Deps, tenantId: string): Promise<{ moved: number; released: number }> {
  const { Enrolment, User } = deps.models;
  const waiting = await Enrolment.find({ tenantId, status: 'awaiting_approval' }, { _id: 1, userId: 1, approverId: 1 }).limit(50_000).lean();
  if (!waiting.length) return { moved: 0, released: 0 };
  const people = new Map<string, { departed: boolean; lineManagerId: string | null }>();
  const read = async (ids: (string | null | undefined)[]) => {
    const unknown = [...new Set(ids.filter((id): id is string => !!id && !people.has(id)))];
    for (const u of await findIn(User, tenantId, 'userId', unknown, { userId: 1, lineManagerId: 1, departedAt: 1 }, { perValueUpTo: 5000 })) people.set(u.userId, { departed: !!u.departedAt, lineManagerId: u.lineManagerId ?? null });
  };
  await read(waiting.flatMap((e) => [e.userId, e.approverId]));
  await read(waiting.map((e) => people.get(e.userId)?.lineManagerId));
  await read([...people.values()].map((p) => p.lineManagerId));
  const now = deps.now();
  let moved = 0;
  let released = 0;
  for (const e of waiting) {
    const enrolee = people.get(e.userId);
    if (!enrolee || enrolee.departed) continue; // Their departure withdraws it.
    const next = approverNow(enrolee.lineManagerId, (id) => people.get(id));
    if (next === e.approverId) continue;
    const update = next
      ? withEvent({ $set: { approverId: next } }, newOutboxEntry('enrolment.approval_requested', now))
      : withEvent({ $set: { status: 'requested', approverId: null, requestedAt: now } }, newOutboxEntry('enrolment.requested', now));
    const updated = await Enrolment.findOneAndUpdate({ _id: e._id, tenantId, status: 'awaiting_approval', approverId: e.approverId }, update, { returnDocument: 'after' }).lean();
    if (!updated) continue;
    if (next) moved += 1;
    else {
      released += 1;
      await takeTurn(deps, tenantId, updated.cohortId, updated._id);
    }
    // The outbox keeps the event if Redis is down; the relay publishes it later.
    await deps.publisher.publish('enrolment', updated);
  }
  return { moved, released };
}
