import { Types } from 'mongoose';
import { notFound } from '../domain/errors';

/** Parses an id from a request; a malformed id is reported as "not found", like an unknown one. */
export function objectId(value: string, what: string): Types.ObjectId {
  if (!Types.ObjectId.isValid(value) || String(new Types.ObjectId(value)) !== value.toLowerCase()) throw notFound(what);
  return new Types.ObjectId(value);
}
