import { loadConfig } from '../config';
import { bindModels } from '../data/models';
import { connectMongo } from '../data/mongo';
import { DomainError } from '../domain/errors';
import { createLogger } from '../logger';
import { scheduleTenantDeletion } from '../usecases/offboarding';

/**
 * The operator removes a tenant: `npm run tenant:remove -- <tenantId>`. Its data is deleted by the
 * privacy worker after TENANT_DELETION_WAIT_MS, as when the tenant's admin asks; until then the
 * tenant's admin sees the deletion on the admin page and can cancel it.
 */
async function main(): Promise<void> {
  const tenantId = process.argv[2];
  if (!tenantId || !/^[A-Za-z0-9-]{1,64}$/.test(tenantId)) {
    console.error('usage: npm run tenant:remove -- <tenantId>');
    process.exit(2);
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'cli');
  const conn = await connectMongo(config.MONGODB_URI, 2);
  try {
    const scheduled = await scheduleTenantDeletion({ models: bindModels(conn), publisher: null as never, log, now: () => new Date() }, tenantId, 'operator', config.TENANT_DELETION_WAIT_MS);
    console.log(`The data of tenant ${tenantId} will be deleted after ${scheduled.dueAt.toISOString()}.`);
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(err.message);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await conn.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
