import { notFound } from '../domain/errors';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';

/**
 * Changes the metric choice. Before sponsorship it is simply the design; afterwards the locked
 * metrics stay the ones the results use, and the change is recorded and shown beside them.
 */
export async function changeMetrics(deps: Deps, caller: Caller, programmeIdRaw: string, metrics: string[], requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const current = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!current) throw notFound('Programme');
  const change = { at: deps.now(), by: caller.userId, from: current.metrics, to: metrics };
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId },
    { $set: { metrics }, ...(current.locked?.at ? { $push: { metricChanges: change } } : {}) },
    { returnDocument: 'after' },
  ).lean();
  await audit(deps, caller, 'programme.metrics', `programme:${programmeIdRaw}`, { from: current.metrics, to: metrics, afterLock: !!current.locked?.at }, requestId);
  return updated!;
}
