import { DomainError, notFound } from '../domain/errors';
import { metricChoiceProblems } from '../domain/metrics';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { tenantCatalogue } from './metrics';

/**
 * Changes the metric choice. Before sponsorship it is simply the design; afterwards the locked
 * metrics stay the ones the results use, and the change is recorded and shown beside them.
 */
export async function changeMetrics(deps: Deps, caller: Caller, programmeIdRaw: string, metrics: string[], requestId: string): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const current = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!current) throw notFound('Programme');
  const problems = metricChoiceProblems(metrics, await tenantCatalogue(deps, caller.tenantId), current.metrics);
  if (metrics.length === 0) problems.push({ path: 'metrics', message: 'Choose at least one success metric.' });
  if (problems.length) throw new DomainError('invalid', 'The metric choice has problems to fix.', 'metrics_invalid', problems.map((p) => ({ path: `body.${p.path}`, message: p.message })));
  // Before the lock the primary metric follows the choice; after it, the locked one stays.
  const primaryMetric = current.primaryMetric && metrics.includes(current.primaryMetric) ? current.primaryMetric : metrics[0];
  const change = { at: deps.now(), by: caller.userId, from: current.metrics, to: metrics };
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId },
    { $set: { metrics, primaryMetric }, ...(current.locked?.at ? { $push: { metricChanges: change } } : {}) },
    { returnDocument: 'after' },
  ).lean();
  await audit(deps, caller, 'programme.metrics', `programme:${programmeIdRaw}`, { from: current.metrics, to: metrics, afterLock: !!current.locked?.at }, requestId);
  return updated!;
}
