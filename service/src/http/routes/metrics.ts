import { z } from 'zod';
import { DEFAULT_PULSE_ITEMS, PULSE_ITEM_KEYS, PULSE_ITEMS } from '../../domain/coaching-scale';
import { METRIC_KEY } from '../../domain/metrics';
import { addMetric, changeMetric, listMetrics } from '../../usecases/metrics';
import { catalogueMetricResponse, catalogueMetricsResponse, metricChangeBody, newMetricBody } from '../contract/measures';
import { defineRoute, type RouteDef } from '../route';

/** The organisation's metric catalogue: what programmes may be judged on and outcome files may feed. */
export function metricRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'metrics.list',
      method: 'get',
      path: '/api/metrics',
      summary: "The organisation's metric catalogue (built-in metrics and its own, archived ones flagged) and the team pulse's statements to choose from",
      tags: ['impact'],
      responses: { 200: { description: 'The catalogue', schema: catalogueMetricsResponse } },
      handler: async ({ deps, caller }) => ({
        status: 200,
        body: { metrics: await listMetrics(deps, caller), pulseItems: PULSE_ITEM_KEYS.map((k) => PULSE_ITEMS[k]), defaultPulseItems: [...DEFAULT_PULSE_ITEMS] },
      }),
    }),
    defineRoute({
      id: 'admin.metrics.add',
      method: 'post',
      path: '/api/admin/metrics',
      summary: 'Add a metric of the organisation’s own, fed by outcome imports (audited)',
      tags: ['admin'],
      body: newMetricBody,
      responses: { 201: { description: 'Added', schema: catalogueMetricResponse }, 409: { description: 'The key is taken' } },
      handler: async ({ deps, caller, body, req }) => ({ status: 201, body: { metric: await addMetric(deps, caller, body, req.id) } }),
    }),
    defineRoute({
      id: 'admin.metrics.change',
      method: 'patch',
      path: '/api/admin/metrics/:key',
      summary: 'Rename or archive one of the organisation’s own metrics (its key and direction stay)',
      tags: ['admin'],
      params: z.object({ key: z.string().regex(METRIC_KEY) }),
      body: metricChangeBody,
      responses: { 200: { description: 'Changed', schema: catalogueMetricResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 200, body: { metric: await changeMetric(deps, caller, params.key, body, req.id) } }),
    }),
  ];
}
