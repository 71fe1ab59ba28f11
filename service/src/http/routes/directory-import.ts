import { HR_COLUMNS } from '../../domain/hr-file';
import { importPeople } from '../../usecases/import-people';
import { importQuery } from '../contract/common';
import { hrImportResponse } from '../contract/directory';
import { csvUpload } from '../csv-upload';
import { defineRoute, type RouteDef } from '../route';

/** The HR file of people: line managers, org units, job levels, time zones and working hours from an HR system. */
export function directoryImportRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'directory.import',
      method: 'post',
      path: '/api/admin/directory/import',
      summary:
        `Import the HR file of people (CSV: user and any of ${HR_COLUMNS.slice(1).join(', ')}): preview shows per-row errors and writes nothing; commit writes all or nothing`,
      tags: ['directory'],
      query: importQuery,
      responses: {
        200: { description: 'The import report; a commit with errors (errorCount > 0) wrote nothing', schema: hrImportResponse },
        409: { description: 'A directory sync or another import of the organisation is running' },
        413: { description: 'The file is over 64 MB' },
        415: { description: 'The body is not text/csv' },
      },
      handler: async ({ deps, caller, query, req }) => {
        const report = await importPeople(deps, caller, csvUpload(req), query.mode, { requestId: req.id });
        return { status: 200, body: { report } };
      },
    }),
  ];
}
