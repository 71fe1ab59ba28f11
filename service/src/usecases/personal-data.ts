import { createHash, randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { Model } from 'mongoose';
import { bulkWrite } from '../data/bulk';
import type { Models } from '../data/models';
import { ANY_TENANT } from '../data/tenant-guard';
import { DomainError, notFound } from '../domain/errors';
import { ERASED_NAME, eraseFromRecord, escapeRegExp, exportable, exportFilter, filterFor, idPaths, PERSONAL_DATA, toCsv, type ErasureTarget, type PersonalDataRule } from '../domain/personal-data';
import { audit } from './audit';
import { departPeople } from './depart';
import { recountReports } from './directory';
import type { Caller, Deps } from './deps';
import { withLease } from './lease';
import type { ErasureJobs, JobStore } from './ports';

/** Every model has a rule: a new collection does not compile until it says how it holds people. */
const RULES: Record<keyof Models, PersonalDataRule> = PERSONAL_DATA;
const COLLECTIONS = Object.keys(RULES) as (keyof Models)[];

/** How long an admin has to confirm an erasure they asked for. */
export const ERASURE_CONFIRM_MS = 15 * 60_000;

/** The one-way key of a person's id: lets the directory sync recognise an erased person without keeping their id. */
export function erasureKey(tenantId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${userId}`).digest('hex');
}

/** Keys of the people of a tenant who were erased or are being erased (a directory sync or import skips them). */
export async function erasedKeys(deps: Deps, tenantId: string): Promise<Set<string>> {
  const rows = await deps.models.Erasure.find({ tenantId, state: { $in: ['confirmed', 'done'] } }, { key: 1 }).lean();
  return new Set(rows.map((r) => r.key));
}

export interface PersonArchive {
  fileName: string;
  zip: Uint8Array;
}

/**
 * Everything the product holds about one person, as a zip: `data.json` with every record, a CSV per
 * kind of record, and a README saying what each is and what is left out and why.
 */
export async function exportPerson(deps: Deps, tenantId: string, userId: string): Promise<PersonArchive> {
  const person = await deps.models.User.findOne({ tenantId, userId, erasedAt: null }).lean();
  if (!person) throw notFound('Person');
  const now = deps.now();
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const name of COLLECTIONS) {
    const rule = RULES[name];
    if (!rule.owner || rule.notExported) continue;
    const model = deps.models[name] as unknown as Model<Record<string, unknown>>;
    const found = await model.find({ tenantId, $or: exportFilter(rule, userId) }).lean();
    records[name] = found.map((r) => exportable(ownView(rule, r as Record<string, unknown>, userId)));
  }
  const files: Record<string, Uint8Array> = {};
  const exportedAt = now.toISOString();
  files['data.json'] = strToU8(JSON.stringify({ exportedAt, person: { userId, name: person.name, email: person.email }, records }, null, 2));
  for (const [name, rows] of Object.entries(records)) if (rows.length) files[`${name}.csv`] = strToU8(toCsv(rows));
  files['README.txt'] = strToU8(readme(person.name, exportedAt, records));
  const day = exportedAt.slice(0, 10);
  return { fileName: `coaching-pilots-data-${day}.zip`, zip: zipSync(files, { level: 6, mtime: now }) };
}

/** Maps keyed by user id (other sponsors' decisions, say) keep only the person's own entry. */
function ownView(rule: PersonalDataRule, record: Record<string, unknown>, userId: string): Record<string, unknown> {
  const out = { ...record };
  for (const p of rule.refs ?? []) {
    const field = p.endsWith('.*') ? p.slice(0, -2) : '';
    if (!field || field.includes('.')) continue;
    const map = out[field];
    if (map && typeof map === 'object') out[field] = Object.hasOwn(map, userId) ? { [userId]: (map as Record<string, unknown>)[userId] } : {};
  }
  return out;
}

function readme(name: string, exportedAt: string, records: Record<string, unknown[]>): string {
  const lines = [
    `Data held about ${name} by Coaching Pilots, exported ${exportedAt}.`,
    '',
    'data.json holds every record below; each kind of record is also a CSV table.',
    '',
    'Records:',
    ...Object.entries(records).map(([k, rows]) => `- ${k}: ${rows.length} (${RULES[k as keyof Models].about})`),
    '',
    'Not in this archive:',
    ...COLLECTIONS.filter((k) => RULES[k].notExported).map((k) => `- ${k}: ${RULES[k].about}; not exported because ${RULES[k].notExported}.`),
    '- Team pulse answers you gave about your manager: they were stored without your identity, so nothing links them to you and they cannot be exported.',
  ];
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Erasure: asked for, confirmed (two steps, audited), then carried out by a worker.

export interface ErasureRequest {
  erasureId: string;
  person: { userId: string; name: string; email: string };
  confirmBy: Date;
  /** The person's own records, per collection, that will be deleted or pseudonymised. */
  records: Record<string, number>;
}

/** Step one: what erasing this person would touch. Nothing is changed but the request itself. */
export async function requestErasure(deps: Deps, caller: Caller, userId: string, requestId: string): Promise<ErasureRequest> {
  if (userId === caller.userId) throw new DomainError('invalid', 'You cannot erase yourself; another admin can.', 'erase_self');
  const person = await deps.models.User.findOne({ tenantId: caller.tenantId, userId, erasedAt: null }).lean();
  if (!person) throw notFound('Person');
  const key = erasureKey(caller.tenantId, userId);
  const running = await deps.models.Erasure.findOne({ tenantId: caller.tenantId, key, state: 'confirmed' }).lean();
  if (running) throw new DomainError('conflict', 'This person is already being erased.', 'erasure_running');
  const records: Record<string, number> = {};
  for (const name of COLLECTIONS) {
    const rule = RULES[name];
    if (!rule.owner) continue;
    const model = deps.models[name] as unknown as Model<Record<string, unknown>>;
    const n = await model.countDocuments({ tenantId: caller.tenantId, $or: filterFor(rule.owner, userId) });
    if (n) records[name] = n;
  }
  const now = deps.now();
  const erasureId = randomBytes(12).toString('hex');
  const confirmBy = new Date(now.getTime() + ERASURE_CONFIRM_MS);
  await deps.models.Erasure.create({ _id: erasureId, tenantId: caller.tenantId, state: 'requested', userId, key, requestedBy: caller.userId, requestedAt: now, confirmBy });
  await audit(deps, caller, 'person.erasure_requested', `erasure:${erasureId}`, { records }, requestId);
  return { erasureId, person: { userId, name: person.name, email: person.email ?? '' }, confirmBy, records };
}

/**
 * Step two: the admin types the person's name or email to confirm. The erasure is then recorded
 * as confirmed (so it completes even if the queue is down: the privacy sweep picks it up) and
 * queued.
 */
export async function confirmErasure(deps: Deps, jobs: ErasureJobs, caller: Caller, erasureId: string, confirmation: string, requestId: string): Promise<{ erasureId: string; state: 'confirmed' }> {
  const { Erasure, User } = deps.models;
  const e = await Erasure.findOne({ _id: erasureId, tenantId: caller.tenantId }).lean();
  if (!e || !e.userId) throw notFound('Erasure request');
  if (e.state === 'confirmed') return { erasureId, state: 'confirmed' };
  if (e.state !== 'requested') throw new DomainError('conflict', 'This erasure request is no longer open.', 'erasure_not_open');
  if (e.confirmBy.getTime() < deps.now().getTime()) throw new DomainError('conflict', 'This erasure request has expired; ask again.', 'erasure_expired');
  const person = await User.findOne({ tenantId: caller.tenantId, userId: e.userId }).lean();
  if (!person) throw notFound('Person');
  const typed = confirmation.trim().toLowerCase();
  const accepted = [person.name, person.email, person.upn].filter((s): s is string => !!s).map((s) => s.trim().toLowerCase());
  if (!typed || !accepted.includes(typed)) throw new DomainError('invalid', "Type the person's full name or email address to confirm.", 'confirmation_mismatch', [{ path: 'body.confirmation', message: 'Does not match the person.' }]);
  const pseudonym = `erased-${randomBytes(8).toString('hex')}`;
  const needles = [person.name, person.email, person.upn].filter((s): s is string => !!s && s.length >= 3);
  const updated = await Erasure.findOneAndUpdate(
    { _id: erasureId, tenantId: caller.tenantId, state: 'requested' },
    { $set: { state: 'confirmed', pseudonym, needles, confirmedBy: caller.userId, confirmedAt: deps.now() } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'This erasure request is no longer open.', 'erasure_not_open');
  await audit(deps, caller, 'person.erasure_confirmed', `erasure:${erasureId}`, {}, requestId);
  // The sweep runs confirmed erasures the queue never got.
  await jobs.erase(caller.tenantId, erasureId).catch((err: unknown) => deps.log.warn({ err: (err as Error).message, erasureId }, 'erasure job not queued; the privacy sweep will run it'));
  return { erasureId, state: 'confirmed' };
}

/**
 * Carries out a confirmed erasure. The person's open enrolments are withdrawn first (the seat goes
 * to the first person waiting) and what they were asked is cancelled; then, collection by
 * collection, their own records are deleted or pseudonymised and every other trace of their id,
 * name or email is replaced; then finished jobs that mention them are removed from the queues.
 * Idempotent, so an erasure interrupted by a crash or an outage is simply run again.
 */
export async function runErasure(deps: Deps, jobStore: JobStore, tenantId: string, erasureId: string, leaseMs: number): Promise<Record<string, number> | null | 'busy'> {
  return withLease(deps, `erasure-${erasureId}`, leaseMs, () => erase(deps, jobStore, tenantId, erasureId));
}

async function erase(deps: Deps, jobStore: JobStore, tenantId: string, erasureId: string): Promise<Record<string, number> | null> {
  const { Erasure } = deps.models;
  const e = await Erasure.findOne({ _id: erasureId, tenantId, state: 'confirmed' }).lean();
  if (!e || !e.userId || !e.pseudonym) return null;
  const target: ErasureTarget = { userId: e.userId, pseudonym: e.pseudonym, needles: [e.userId, ...(e.needles ?? [])] };
  await departPeople(deps, tenantId, [e.userId]);
  const counts: Record<string, number> = {};
  // Passes until one finds nothing: on FerretDB an update is a read-modify-write of the whole
  // document, so a worker's write racing ours (the withdrawal's outbox, say) can put an id back.
  let changed = 1;
  for (let pass = 0; changed > 0 && pass < 3; pass += 1) {
    changed = 0;
    for (const name of COLLECTIONS) {
      const n = await eraseIn(deps.models[name] as unknown as Model<Record<string, unknown>>, RULES[name], tenantId, target);
      if (n) counts[name] = (counts[name] ?? 0) + n;
      changed += n;
    }
  }
  // Still finding the person after three passes: never report done; the job is retried.
  if (changed > 0) throw new Error(`erasure ${erasureId} still finds records to change after three passes`);
  const erased = await deps.models.User.findOneAndUpdate({ tenantId, userId: e.pseudonym }, { $set: { erasedAt: deps.now(), departedAt: deps.now(), name: ERASED_NAME } }).lean(); // FerretDB refuses a projection here
  // An erased person no longer counts among their line manager's reports.
  if (erased?.lineManagerId) await recountReports(deps, tenantId, erased.lineManagerId);
  const jobs = await jobStore.scrub(target.needles);
  if (jobs) counts.jobs = jobs;
  await Erasure.updateOne({ _id: erasureId, tenantId, state: 'confirmed' }, { $set: { state: 'done', doneAt: deps.now(), counts, userId: null, pseudonym: null, needles: [] } });
  await audit(deps, { tenantId, userId: e.confirmedBy ?? e.requestedBy, roles: ['admin'] }, 'person.erased', `erasure:${erasureId}`, { counts });
  return counts;
}

/** Erases the target from one collection of one tenant, a batch at a time; returns the records changed. */
async function eraseIn(model: Model<Record<string, unknown>>, rule: PersonalDataRule, tenantId: string, target: ErasureTarget): Promise<number> {
  const ids = idPaths(rule);
  const textual = (rule.text ?? []).flatMap((p) => target.needles.map((n) => ({ [p]: { $regex: escapeRegExp(n), $options: 'i' } })));
  const or = [...filterFor(ids, target.userId), ...textual];
  if (!or.length) return 0;
  let changed = 0;
  let ops: object[] = [];
  const flush = async () => {
    await bulkWrite(model, ops);
    changed += ops.length;
    ops = [];
  };
  for await (const record of model.find({ tenantId, $or: or }).lean().cursor({ batchSize: 500 })) {
    const change = eraseFromRecord(rule, record as Record<string, unknown>, target);
    const filter = { _id: (record as { _id: unknown })._id, tenantId };
    if (change.kind === 'delete') ops.push({ deleteOne: { filter } });
    else if (change.kind === 'set') ops.push({ updateOne: { filter, update: { $set: change.set } } });
    if (ops.length >= 500) await flush();
  }
  if (ops.length) await flush();
  return changed;
}

/** Unconfirmed requests past their time lapse; confirmed ones still waiting are returned to be run. */
export async function pendingErasures(deps: Deps): Promise<{ tenantId: string; erasureId: string }[]> {
  const { Erasure } = deps.models;
  await Erasure.updateMany({ tenantId: ANY_TENANT, state: 'requested', confirmBy: { $lt: deps.now() } }, { $set: { state: 'expired', userId: null } });
  const waiting = await Erasure.find({ tenantId: ANY_TENANT, state: 'confirmed' }, { _id: 1, tenantId: 1 }).lean();
  return waiting.map((w) => ({ tenantId: w.tenantId, erasureId: w._id }));
}

export interface ErasureStatus {
  erasureId: string;
  state: 'requested' | 'confirmed' | 'done' | 'expired';
  requestedAt: Date;
  confirmedAt: Date | null;
  doneAt: Date | null;
  counts: Record<string, number>;
}

export async function erasureStatus(deps: Deps, tenantId: string, erasureId: string): Promise<ErasureStatus> {
  const e = await deps.models.Erasure.findOne({ _id: erasureId, tenantId }).lean();
  if (!e) throw notFound('Erasure request');
  return { erasureId, state: e.state, requestedAt: e.requestedAt, confirmedAt: e.confirmedAt ?? null, doneAt: e.doneAt ?? null, counts: (e.counts as Record<string, number>) ?? {} };
}
