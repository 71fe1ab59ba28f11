import type { Schema } from 'mongoose';

/**
 * Marks a query that deliberately spans tenants (the outbox relay, ops gauges). Greppable, so
 * every such query can be reviewed; a request handler never uses it.
 */
export const ANY_TENANT = Object.freeze({ $exists: true });

const QUERY_OPS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'countDocuments', 'distinct'] as const;

function scoped(filter: Record<string, unknown> | undefined): boolean {
  const t = filter?.tenantId;
  if (typeof t === 'string') return t.length > 0;
  // ANY_TENANT (mongoose copies filters, so compare by shape).
  return typeof t === 'object' && t !== null && Object.keys(t).length === 1 && (t as { $exists?: unknown }).$exists === true;
}

export class TenantScopeError extends Error {
  override name = 'TenantScopeError';
}

/**
 * Data-access guard: every query, aggregate and bulk write on tenant data must name a tenant, so
 * forgetting the scope fails loudly instead of reading another organisation's data.
 */
export function tenantGuard(schema: Schema, modelName: string): void {
  (schema as any).pre(QUERY_OPS, function (this: { getFilter(): Record<string, unknown>; op?: string }) {
    if (!scoped(this.getFilter())) throw new TenantScopeError(`${modelName}.${this.op ?? 'query'} without tenantId`);
  });
  schema.pre('aggregate', function (this: { pipeline(): Record<string, any>[] }) {
    const first = this.pipeline()[0];
    if (!first || !scoped(first.$match)) throw new TenantScopeError(`${modelName}.aggregate must start with $match on tenantId`);
  });
  schema.pre('bulkWrite', function (ops: Record<string, any>[]) {
    for (const op of ops) {
      const body = op.updateOne ?? op.updateMany ?? op.deleteOne ?? op.deleteMany ?? op.replaceOne;
      if (body && !scoped(body.filter)) throw new TenantScopeError(`${modelName}.bulkWrite without tenantId`);
      if (op.insertOne && !scoped(op.insertOne.document)) throw new TenantScopeError(`${modelName}.bulkWrite insert without tenantId`);
    }
  } as never);
}
