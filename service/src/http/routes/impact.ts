import { z } from 'zod';
import { changeMetrics } from '../../usecases/change-metrics';
import { recordResultsViewed } from '../../usecases/commitments';
import { programmeImpact } from '../../usecases/impact';
import { importOutcomes } from '../../usecases/import-outcomes';
import { programmeDetail } from '../../usecases/programme-views';
import { importQuery } from '../contract/common';
import { impactResponse, outcomeImportReport } from '../contract/measures';
import { metricsBody, programmeResponse } from '../contract/programmes';
import { csvUpload } from '../csv-upload';
import { defineRoute, idParam, type RouteDef } from '../route';

/** Outcome data in, impact out. */
export function impactRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'outcomes.import',
      method: 'post',
      path: '/api/outcomes/import',
      summary: 'Import outcome figures from CSV (person_id,metric,period,value): preview shows per-row errors and stores nothing; commit stores all or nothing',
      tags: ['impact'],
      query: importQuery,
      responses: {
        200: { description: 'The import report', schema: outcomeImportReport },
        413: { description: 'The file is over 64 MB' },
        415: { description: 'The body is not text/csv' },
        422: { description: 'The file has errors; nothing was stored', schema: outcomeImportReport },
      },
      handler: async ({ deps, caller, query, req }) => {
        const report = await importOutcomes(deps, caller, csvUpload(req), query.mode);
        return { status: query.mode === 'commit' && report.errorCount > 0 ? 422 : 200, body: report };
      },
    }),
    defineRoute({
      id: 'programmes.impact',
      method: 'get',
      path: '/api/programmes/:programmeId/impact',
      summary: 'Before/after and difference in differences per locked metric, with 95% intervals and a verdict; small groups suppressed',
      tags: ['impact'],
      params: z.object({ programmeId: idParam }),
      responses: { 200: { description: 'Impact', schema: impactResponse } },
      handler: async ({ deps, caller, params }) => {
        const report = await programmeImpact(deps, caller, params.programmeId);
        await recordResultsViewed(deps, caller, params.programmeId);
        return { status: 200, body: report };
      },
    }),
    defineRoute({
      id: 'programmes.metrics',
      method: 'put',
      path: '/api/programmes/:programmeId/metrics',
      summary: 'Change the metric choice; after sponsorship the change is recorded and the locked metrics still decide',
      tags: ['impact'],
      params: z.object({ programmeId: idParam }),
      body: metricsBody,
      responses: { 200: { description: 'Changed', schema: programmeResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 200, body: { programme: await programmeDetail(deps, caller.tenantId, await changeMetrics(deps, caller, params.programmeId, body.metrics, req.id)) } }),
    }),
  ];
}
