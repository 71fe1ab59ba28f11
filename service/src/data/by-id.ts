import { isValidObjectId, Types, type Model } from 'mongoose';

/**
 * One document by `_id`, only if it belongs to `tenantId` (checked on the document), as a lean
 * object. For hot paths that read one document per job: FerretDB 1.x uses its index only for a
 * filter of exactly `{ _id }`, so `{ _id, tenantId }` reads the whole collection each time. It
 * goes through the driver's collection because the tenant guard (a mongoose hook) would rightly
 * refuse a filter without the tenant; the tenant is enforced here instead.
 */
export async function findByIdInTenant<T extends { tenantId: string }>(model: Model<T>, tenantId: string, id: string | Types.ObjectId): Promise<T | null> {
  if (!tenantId || !isValidObjectId(id)) return null;
  const doc = await model.collection.findOne({ _id: new Types.ObjectId(String(id)) });
  return doc && doc.tenantId === tenantId ? (doc as unknown as T) : null;
}
