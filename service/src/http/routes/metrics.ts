import { z } from 'zod';
import { DEFAULT_PULSE_ITEMS, PULSE_ITEM_KEYS, PULSE_ITEMS } from '../../domain/coaching-scale';
import { METRIC_KEY } from '../../domain/metrics';
import { addMetric, changeMetric, listMetrics } from '../../usecases/metrics';
import { defineRoute, type RouteDef } from '../route';

const text = (max: number) => z.string().trim().max(max);
const metricSchema = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  direction: z.enum(['higher_is_better', 'lower_is_better']),
  source: z.enum(['imported', 'in_app']),
  min: z.number().nullable(),
  max: z.number().nullable(),
  builtIn: z.boolean(),
  archived: z.boolean(),
});
const one = z.object({ metric: metricSchema });

/** The organisation's metric catalogue: what programmes may be judged on and outcome files may feed. */
export function metricRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'metrics.list',
      method: 'get',
      path: '/api/metrics',
      summary: "The organisation's metric catalogue (built-in metrics and its own, archived ones flagged) and the team pulse's statements to choose from",
      tags: ['impact'],
      responses: {
        200: {
          description: 'The catalogue',
          schema: z.object({
            metrics: z.array(metricSchema),
            pulseItems: z.array(z.object({ key: z.enum(PULSE_ITEM_KEYS), statement: z.string(), construct: z.string() })),
            defaultPulseItems: z.array(z.enum(PULSE_ITEM_KEYS)),
          }),
        },
      },
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
      body: z.strictObject({
        key: z.string().regex(METRIC_KEY, 'lower case letters, digits and _, starting with a letter (2–40 characters)').describe('What outcome files carry in their metric column'),
        label: text(80).min(2),
        unit: text(20).default(''),
        direction: z.enum(['higher_is_better', 'lower_is_better']),
        min: z.number().finite().nullable().default(null),
        max: z.number().finite().nullable().default(null),
      }),
      responses: { 201: { description: 'Added', schema: one }, 409: { description: 'The key is taken' } },
      handler: async ({ deps, caller, body, req }) => ({ status: 201, body: { metric: await addMetric(deps, caller, body, req.id) } }),
    }),
    defineRoute({
      id: 'admin.metrics.change',
      method: 'patch',
      path: '/api/admin/metrics/:key',
      summary: 'Rename or archive one of the organisation’s own metrics (its key and direction stay)',
      tags: ['admin'],
      params: z.object({ key: z.string().regex(METRIC_KEY) }),
      body: z.strictObject({ label: text(80).min(2).optional(), unit: text(20).optional(), archived: z.boolean().optional() }).refine((b) => Object.keys(b).length > 0, 'change at least one field'),
      responses: { 200: { description: 'Changed', schema: one } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 200, body: { metric: await changeMetric(deps, caller, params.key, body, req.id) } }),
    }),
  ];
}
