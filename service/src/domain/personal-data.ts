/**
 * Where the product keeps personal data, collection by collection: which fields make a record a
 * person's own (exported to them, erased with them), which other fields may hold a person's id,
 * and which free text may name them. Export, erasure and the coverage test all read this one map.
 *
 * Paths are dotted; a segment that meets an array applies to every element, and `*` stands for the
 * keys of an object (maps keyed by user id).
 */
export interface PersonalDataRule {
  /** What the collection holds, in the archive's index. */
  about: string;
  /** Fields whose value (or element) is the id of the person the record belongs to. */
  owner?: readonly string[];
  /** Other fields that may hold a person's id (replaced by the pseudonym at erasure). */
  refs?: readonly string[];
  /** Free text (or mixed values) that may carry a person's id, name or email. */
  text?: readonly string[];
  /** At erasure, the person's own records are deleted, or kept under the pseudonym (aggregates stay as they were). */
  erase?: 'delete' | 'pseudonymise';
  /** At erasure, these fields of the person's own records take these values. */
  blank?: Readonly<Record<string, unknown>>;
  /** Fields that name a person as `<prefix><id>` (an audit entry's target): such records are about them, and exported to them. */
  mentions?: Readonly<Record<string, string>>;
  /** Why the person's records here are not in their export. */
  notExported?: string;
}

export const ERASED_NAME = 'Erased person';
export const ERASED_TEXT = '[erased]';

/**
 * Every collection, with or without a person in it. Keyed like the models, so a new model does not
 * compile until it has a rule here.
 */
export const PERSONAL_DATA = {
  Tenant: { about: "The organisation's settings" },
  Metric: { about: "The organisation's own success metrics: names and units, no person" },
  User: {
    about: 'Your profile: directory facts, in-app roles and the app roles Entra ID gave at your last sign-in',
    owner: ['userId'],
    refs: ['lineManagerId', 'graph.lineManagerId', 'hr.lineManagerId'],
    erase: 'pseudonymise',
    blank: { name: ERASED_NAME, email: '', upn: '', nameKey: '', searchKeys: [], roles: [], appRoles: null, globalAdmin: false, graph: null, hr: null, timeZone: null, workingHours: null, appInstalledAt: null, lastSignInAt: null },
  },
  DirectorySync: { about: "The directory sync's state (counts, cursor): no person" },
  DirectoryIssue: { about: 'Problems the directory sync or HR import found with your record', owner: ['userId'], text: ['detail'], erase: 'delete' },
  DirectoryFacet: { about: 'Org units and job levels with head counts: no person' },
  DirectoryChange: { about: 'What a directory sync in progress is changing', owner: ['userId'], refs: ['before.lineManagerId'], erase: 'delete', notExported: 'working records of a sync in progress, deleted when it ends' },
  DirectorySeen: { about: 'Who a full directory sync in progress has seen', refs: ['userIds'], notExported: 'working records of a sync in progress, deleted when it ends' },
  Programme: {
    about: 'Programmes you designed or were asked to sponsor, with your decision and commitments',
    owner: ['createdBy', 'sponsorIds'],
    refs: ['eligibility.userIds', 'comparison.userIds', 'locked.comparison.userIds', 'sponsorDecisions.*', 'sponsorsLeft', 'resultsViewedBy.*', 'metricChanges.by'],
    erase: 'pseudonymise',
  },
  Cohort: { about: 'Cohorts and their capacity: no person' },
  SessionPlan: { about: 'Scheduled sessions: no person' },
  Enrolment: { about: 'Your enrolments and their history, and enrolments you were asked to approve', owner: ['userId', 'approverId'], text: ['approvalComment', 'lastError'], erase: 'pseudonymise', blank: { approvalComment: '' } },
  Seat: { about: 'Seats held by enrolments: no person' },
  Turn: { about: "Places in cohorts' seat queues: no person" },
  Lease: { about: 'Short work leases: no person' },
  ParticipantSession: { about: 'Your sessions and their calendar events', owner: ['userId'], erase: 'pseudonymise', blank: { 'calendar.eventId': null, 'calendar.error': null } },
  Notification: { about: 'Notices sent to you', owner: ['userId'], text: ['title', 'body', 'activity.params'], erase: 'delete' },
  Invitation: { about: 'Programmes you were invited to enrol in', owner: ['userId'], erase: 'delete' },
  EntraRoleHolder: { about: 'The app roles Entra ID gives you, as your last sign-in or the last directory sync found them', owner: ['userId'], erase: 'delete' },
  Attendance: { about: 'Your attendance at sessions', owner: ['userId'], refs: ['recordedBy'], erase: 'pseudonymise' },
  OutcomeValue: { about: 'Outcome figures your organisation imported about you', owner: ['personId'], erase: 'pseudonymise' },
  FeedbackRequest: { about: 'Feedback you were asked for, and whether you answered', owner: ['recipientId'], refs: ['managerId'], text: ['managerName'], erase: 'pseudonymise' },
  FeedbackLadder: { about: 'Reminder steps of feedback requests: no person' },
  FeedbackStep: { about: 'Reminder steps sent, by feedback request: no person' },
  SessionFeedback: { about: 'Your ratings of sessions (your coach reads them)', owner: ['userId'], text: ['comment', 'tryNext'], erase: 'pseudonymise', blank: { comment: '', tryNext: '' } },
  PulseResponse: {
    about: "Team pulse answers about managers, stored without the respondent's identity",
    refs: ['managerId'],
    notExported: 'they carry nobody’s identity, so they cannot be linked to the person who answered; answers about a manager are shown only as group figures above the minimum group size',
  },
  AuditEvent: { about: 'Privileged actions you took, and those taken about you', owner: ['actorId'], mentions: { target: 'user:' }, text: ['target', 'detail'], erase: 'pseudonymise' },
  ShownGroup: {
    about: 'Which people made up each impact figure already shown, so that a later figure cannot be subtracted from it',
    refs: ['members'],
    notExported: 'it lists who was in a group, not anything about them',
  },
  ProgrammeGroups: {
    about: "Who took part in each programme and who they were compared with, with their org units when it started",
    refs: ['members.userId'],
    notExported: 'it lists who was in each group and their org unit that day, which the directory and the programme already show them; nothing they did or said',
  },
  Erasure: { about: 'Erasures of people: a one-way key, never their id once done', refs: ['requestedBy', 'confirmedBy'] },
  TenantDeletion: { about: "Requests to delete the organisation's data: dates and counts only", refs: ['requestedBy'] },
  Scenario: { about: "The organisation's own role-play scenarios", refs: ['createdBy'] },
  PracticeRoom: { about: 'Practice rooms you were in', owner: ['members'], refs: ['openedBy'], erase: 'pseudonymise' },
  PracticeRound: {
    about: "Practice rounds you took part in: who practised, partnered and observed, the partner's ratings and the observer's markers and note",
    owner: ['practisingId', 'partnerId', 'observerIds'],
    text: ['note'],
    erase: 'pseudonymise',
  },
  PracticeTap: { about: 'Behaviours you coded as an observer in practice rounds', owner: ['by'], erase: 'pseudonymise' },
} as const satisfies Record<string, PersonalDataRule>;

export type PersonalDataModel = keyof typeof PERSONAL_DATA;

/** Every id path of a rule: the owner's and the references. */
export function idPaths(rule: PersonalDataRule): string[] {
  return [...(rule.owner ?? []), ...(rule.refs ?? [])];
}

/** A database filter (without the tenant) matching records that carry `id` at one of `paths`. */
export function filterFor(paths: readonly string[], id: string): Record<string, unknown>[] {
  return paths.map((p) => (p.endsWith('.*') ? { [`${p.slice(0, -2)}.${id}`]: { $exists: true } } : { [p]: id }));
}

/** A filter (without the tenant) for the records an export gives the person: their own, and those naming them. */
export function exportFilter(rule: PersonalDataRule, id: string): Record<string, unknown>[] {
  return [...filterFor(rule.owner ?? [], id), ...Object.entries(rule.mentions ?? {}).map(([path, prefix]) => ({ [path]: `${prefix}${id}` }))];
}

/** True when the record carries `id` at one of the paths (arrays and `*` maps included). */
export function carriesId(doc: unknown, paths: readonly string[], id: string): boolean {
  return paths.some((p) => valuesAt(doc, p.split('.')).some((v) => v === id));
}

function valuesAt(value: unknown, segments: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, segments));
  if (segments.length === 0) return [value];
  if (!value || typeof value !== 'object') return [];
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '*') return rest.length === 0 ? Object.keys(value) : Object.values(value).flatMap((v) => valuesAt(v, rest));
  return valuesAt((value as Record<string, unknown>)[head], rest);
}

/** Whom an erasure is about, and what stands in for them afterwards. */
export interface ErasureTarget {
  userId: string;
  pseudonym: string;
  /** Name, email, UPN: replaced in free text wherever they appear. */
  needles: readonly string[];
}

/** What erasure does to one record: nothing, delete it, or set these top-level fields. */
export type ErasureChange = { kind: 'keep' } | { kind: 'delete' } | { kind: 'set'; set: Record<string, unknown> };

/**
 * What erasing `target` does to one record of a collection: the person's own records are deleted
 * or pseudonymised (with their own free text blanked), and any other id of theirs or mention of
 * their name or email in the record is replaced. Pure: the caller writes the change.
 */
export function eraseFromRecord(rule: PersonalDataRule, record: Record<string, unknown>, target: ErasureTarget): ErasureChange {
  const owned = carriesId(record, rule.owner ?? [], target.userId);
  if (owned && rule.erase === 'delete') return { kind: 'delete' };
  const next = copyPlain(record) as Record<string, unknown>;
  for (const p of idPaths(rule)) replaceAt(next, p.split('.'), (v) => (v === target.userId ? target.pseudonym : v));
  for (const p of rule.text ?? []) replaceAt(next, p.split('.'), (v) => scrubValue(v, target));
  if (owned && rule.blank) for (const [p, value] of Object.entries(rule.blank)) setPath(next, p.split('.'), value);
  const set: Record<string, unknown> = {};
  for (const key of Object.keys(next)) if (!sameValue(next[key], record[key])) set[key] = next[key];
  return Object.keys(set).length ? { kind: 'set', set } : { kind: 'keep' };
}

/** Replaces the person's id by the pseudonym and their name or email by a marker, anywhere in a value. */
export function scrubValue(value: unknown, target: ErasureTarget): unknown {
  if (typeof value === 'string') return scrubText(value, target);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, target));
  if (value && typeof value === 'object' && !(value instanceof Date) && !isObjectId(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubText(k, target), scrubValue(v, target)]));
  }
  return value;
}

function scrubText(text: string, target: ErasureTarget): string {
  let out = text.split(target.userId).join(target.pseudonym);
  for (const needle of target.needles) if (needle.length >= 3) out = out.replace(new RegExp(escapeRegExp(needle), 'gi'), ERASED_TEXT);
  return out;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function replaceAt(value: unknown, segments: string[], f: (v: unknown) => unknown): void {
  if (Array.isArray(value)) {
    if (segments.length === 0) return;
    for (const v of value) replaceAt(v, segments, f);
    return;
  }
  if (!value || typeof value !== 'object' || segments.length === 0) return;
  const obj = value as Record<string, unknown>;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '*') {
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const renamed = rest.length === 0 ? f(key) : key;
      if (rest.length > 0) replaceAt(v, rest, f);
      if (typeof renamed === 'string' && renamed !== key) {
        delete obj[key];
        obj[renamed] = v;
      }
    }
    return;
  }
  if (rest.length === 0) {
    const v = obj[head];
    obj[head] = Array.isArray(v) ? v.map((e) => f(e)) : f(v);
    return;
  }
  replaceAt(obj[head], rest, f);
}

/** A deep copy of plain objects and arrays; ids, dates and other class instances are shared, not copied. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  }
  return value;
}

function setPath(obj: Record<string, unknown>, segments: string[], value: unknown): void {
  const [head, ...rest] = segments as [string, ...string[]];
  if (rest.length === 0) {
    obj[head] = value;
    return;
  }
  const child = obj[head];
  if (!child || typeof child !== 'object') return;
  setPath(child as Record<string, unknown>, rest, value);
}

function isObjectId(v: object): boolean {
  return (v as { _bsontype?: string })._bsontype === 'ObjectId';
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A record as it goes into an export: ids as strings, dates as ISO text, internal bookkeeping
 * (outbox entries, version keys) left out.
 */
export function exportable(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === '__v' || k === 'outbox' || k === 'outboxPending' || k === 'searchKeys' || k === 'nameKey' || k === 'reportsRunId') continue;
    out[k === '_id' ? 'id' : k] = plainValue(v);
  }
  return out;
}

function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainValue);
  if (v && typeof v === 'object') {
    if (isObjectId(v)) return String(v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValue(x)]));
  }
  return v;
}

/** Records as a CSV table: one column per top-level field (nested values as JSON), RFC 4180 quoting. */
export function toCsv(records: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // Text starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.map(cell).join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
