import { DomainError } from '../domain/errors';
import { BUILT_IN_METRICS, catalogue, MAX_TENANT_METRICS, rangeProblem, type CatalogueMetric } from '../domain/metrics';
import type { Direction } from '../domain/impact';
import type { MetricDoc } from '../data/models';
import { isDuplicateKey } from '../data/bulk';
import { audit } from './audit';
import type { Caller, Deps } from './deps';

const fromDoc = (m: MetricDoc): CatalogueMetric => ({
  key: m.key,
  label: m.label,
  unit: m.unit ?? '',
  direction: m.direction as Direction,
  source: 'imported',
  min: m.min ?? null,
  max: m.max ?? null,
  builtIn: false,
  archived: !!m.archivedAt,
});

/** The tenant's catalogue (built-in metrics and its own), keyed by metric key: one indexed read. */
export async function tenantCatalogue(deps: Deps, tenantId: string): Promise<Map<string, CatalogueMetric>> {
  const own = await deps.models.Metric.find({ tenantId }).limit(MAX_TENANT_METRICS).lean();
  return catalogue(own.map(fromDoc));
}

export async function listMetrics(deps: Deps, caller: Caller): Promise<CatalogueMetric[]> {
  return [...(await tenantCatalogue(deps, caller.tenantId)).values()];
}

export interface NewMetric {
  key: string;
  label: string;
  unit: string;
  direction: Direction;
  min: number | null;
  max: number | null;
}

/** An admin adds a metric of the organisation's own, fed by outcome imports. */
export async function addMetric(deps: Deps, caller: Caller, input: NewMetric, requestId: string): Promise<CatalogueMetric> {
  const range = rangeProblem(input.min, input.max);
  if (range) throw new DomainError('invalid', 'The metric is not valid.', 'bad_metric', [{ path: 'body.max', message: range }]);
  if (BUILT_IN_METRICS.some((m) => m.key === input.key)) throw new DomainError('conflict', `"${input.key}" is a built-in metric.`, 'metric_exists');
  if ((await deps.models.Metric.countDocuments({ tenantId: caller.tenantId })) >= MAX_TENANT_METRICS) {
    throw new DomainError('conflict', `An organisation can define at most ${MAX_TENANT_METRICS} metrics; archive one you no longer use.`, 'too_many_metrics');
  }
  try {
    const doc = await deps.models.Metric.create({ tenantId: caller.tenantId, ...input, source: 'imported' });
    await audit(deps, caller, 'metric.add', `metric:${input.key}`, { label: input.label, direction: input.direction }, requestId);
    return fromDoc(doc.toObject() as MetricDoc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new DomainError('conflict', `The organisation already has a metric "${input.key}".`, 'metric_exists');
    throw err;
  }
}

export interface MetricChange {
  label?: string;
  unit?: string;
  archived?: boolean;
}

/**
 * Renames or archives one of the organisation's own metrics. Its key and direction stay as they
 * were: programmes and imported figures already refer to them.
 */
export async function changeMetric(deps: Deps, caller: Caller, key: string, change: MetricChange, requestId: string): Promise<CatalogueMetric> {
  if (BUILT_IN_METRICS.some((m) => m.key === key)) throw new DomainError('conflict', 'Built-in metrics cannot be changed.', 'built_in_metric');
  const { archived, ...rest } = change;
  const updated = await deps.models.Metric.findOneAndUpdate(
    { tenantId: caller.tenantId, key },
    { $set: { ...rest, ...(archived === undefined ? {} : { archivedAt: archived ? deps.now() : null }) } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('not_found', 'Metric was not found.', 'metric_not_found');
  await audit(deps, caller, 'metric.change', `metric:${key}`, { ...change }, requestId);
  return fromDoc(updated);
}
