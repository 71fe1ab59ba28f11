import { DomainError, notFound } from '../domain/errors';
import { nextStatus, type ProgrammeStatus } from '../domain/programme';
import type { ProgrammeDoc } from '../data/models';
import { newOutboxEntry, withEvent } from '../events/contracts';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';

/**
 * The owner starts, completes or withdraws a programme; the domain decides whether that is allowed
 * now. Completing fixes when the post pulse goes out (`postPulseDelayMs` later) in the same write
 * as the event; the feedback sweep asks it then (feedback-requests.ts).
 */
export async function transitionProgramme(deps: Deps, caller: Caller, programmeIdRaw: string, action: 'start' | 'complete' | 'withdraw', requestId: string, postPulseDelayMs: number): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const current = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!current) throw notFound('Programme');
  const to = nextStatus(current.status as ProgrammeStatus, action);
  const event = action === 'start' ? 'programme.started' : action === 'complete' ? 'programme.completed' : null;
  const now = deps.now();
  const set = action === 'complete' ? { status: to, postPulseDueAt: new Date(now.getTime() + postPulseDelayMs), postPulseWaiting: true } : { status: to };
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, status: current.status },
    event ? withEvent({ $set: set }, newOutboxEntry(event, now)) : { $set: set },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'The programme changed state meanwhile; reload it.', 'programme_changed');
  // At once, as well as by the completion's event (which a crash here leaves to do it).
  if (action === 'complete') await completeEnrolments(deps, caller.tenantId, String(_id));
  await audit(deps, caller, `programme.${action}`, `programme:${programmeIdRaw}`, { from: current.status, to }, requestId);
  await deps.publisher.publish('programme', updated);
  return updated;
}

/**
 * A completed programme's confirmed participants have completed it: someone who leaves the
 * organisation afterwards is no longer withdrawn by their departure, so they stay in the
 * programme's participant group and its results (which would otherwise change, or be withheld,
 * after being shown). Idempotent.
 */
export async function completeEnrolments(deps: Deps, tenantId: string, programmeId: string): Promise<number> {
  const r = await deps.models.Enrolment.updateMany({ tenantId, programmeId, status: 'confirmed' }, { $set: { status: 'completed' } });
  return r.modifiedCount;
}

/**
 * Expands a completed pilot into a rollout for all managers: a new draft that copies the design
 * (dates are the owner's to set again) and links back to the pilot, so its results travel with it.
 */
export async function expandToRollout(deps: Deps, caller: Caller, programmeIdRaw: string, requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const pilot = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!pilot) throw notFound('Programme');
  if (pilot.kind !== 'pilot' || pilot.status !== 'completed') {
    throw new DomainError('conflict', 'Only a completed pilot can be expanded into a rollout.', 'not_a_completed_pilot');
  }
  const doc = await Programme.create({
    tenantId: caller.tenantId,
    title: `${pilot.title.replace(/\s*pilot\b/i, '')} — rollout to all managers`.trim(),
    kind: 'rollout',
    status: 'draft',
    summary: pilot.summary,
    goals: pilot.goals,
    hypothesis: pilot.hypothesis,
    eligibility: { userIds: [], orgUnits: [], jobLevels: [] },
    capacityPerCohort: pilot.capacityPerCohort,
    cohortCount: pilot.cohortCount,
    enrolmentOpensAt: pilot.enrolmentOpensAt,
    enrolmentClosesAt: pilot.enrolmentClosesAt,
    sessionPlan: pilot.sessionPlan,
    metrics: pilot.metrics,
    // A rollout reaches everyone, so its comparison is whoever has not enrolled yet.
    comparison: { mode: pilot.comparison?.mode === 'chosen' ? 'all_eligible' : (pilot.comparison?.mode ?? 'all_eligible'), userIds: [] },
    expandedFrom: pilot._id,
    createdBy: caller.userId,
  });
  await audit(deps, caller, 'programme.expand', `programme:${String(doc._id)}`, { from: programmeIdRaw }, requestId);
  return doc.toObject() as ProgrammeDoc;
}
