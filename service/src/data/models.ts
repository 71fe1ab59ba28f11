import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { DIRECTORY_SYNC_STATUSES, SEARCH_KEYS_VERSION } from '../domain/directory';
import { ENROLMENT_STATUSES } from '../domain/enrolment';
import { FEEDBACK_STATUSES } from '../domain/reminders';
import { ROLES } from '../domain/roles';
import { tenantGuard } from './tenant-guard';
import { serverKind } from './bulk';

/**
 * Mongoose schemas. Every document carries `tenantId` and every index that serves a query leads
 * with it. Arrays are only appended to or pulled from by value (FerretDB has no positional updates).
 */

/** An event waiting in its aggregate's document until a queue has it (the outbox). */
const outboxEntry = new Schema(
  { id: { type: String, required: true }, type: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const tenantSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    name: { type: String, required: true },
    minGroupSize: { type: Number, default: 5, min: 3 },
    /** How the directory is built (domain/directory.ts DirectorySettings); defaults fill what is missing. */
    directory: { type: Schema.Types.Mixed, default: null },
    /** Days each kind of data is kept (domain/retention.ts); defaults fill what is missing. */
    retention: { type: Schema.Types.Mixed, default: null },
    /** The organisation's own quiet hours (local HH:MM) and weekend (ISO weekdays); null: the service's defaults. */
    quietHours: { start: { type: String, default: null }, end: { type: String, default: null } },
    weekendDays: { type: [Number], default: null },
    /** The last retention purge: when, and what it removed per kind. */
    retentionRun: { type: Schema.Types.Mixed, default: null },
    /** The rule its people's search keys were made by; an older one has them keyed again (reconcileDirectory). */
    searchKeysVersion: { type: Number, default: SEARCH_KEYS_VERSION },
    /** Microsoft Graph refused some of its activity-feed notices (consent, a permission, the app not available): why, since when, and when some are tried again. */
    feedRefusal: { type: new Schema({ reason: String, since: Date, retryAt: Date }, { _id: false }), default: null },
  },
  { timestamps: true },
);
tenantSchema.index({ tenantId: 1 }, { unique: true });

const workingHoursSchema = new Schema({ days: [Number], start: String, end: String }, { _id: false });

/** What one source (Graph, or the HR file) last said about a person; the effective fields are resolved from both. */
const directoryFactsSchema = new Schema(
  {
    orgUnit: { type: String, default: null },
    jobLevel: { type: String, default: null },
    lineManagerId: { type: String, default: null },
    timeZone: { type: String, default: null },
    workingHours: { type: workingHoursSchema, default: null },
    /** Graph only: the mappable attributes as synced, so a new attribute mapping applies without a sync. */
    attributes: { type: Schema.Types.Mixed, default: null },
    /** HR only: the day the person left (YYYY-MM-DD, the HR file's `left_on`). */
    leftOn: { type: String, default: null },
    at: { type: Date, default: null },
  },
  { _id: false },
);

const userSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    userId: { type: String, required: true }, // Entra object id (oid)
    name: { type: String, required: true },
    email: { type: String, default: '' },
    upn: { type: String, default: '' },
    roles: { type: [String], enum: ROLES, default: [] },
    /**
     * The app roles Entra gave, as of the last sign-in whose token carried any (they win over
     * `roles` then); null when the last token carried none. Kept apart from `roles` so that an
     * assignment removed in Entra is not kept on by the in-app directory.
     */
    appRoles: { type: [String], enum: ROLES, default: null },
    /** Their last sign-in's token named them the organisation's Global Administrator in Entra (`wids`): an admin here, whatever `roles` says. */
    globalAdmin: { type: Boolean, default: false },
    // The effective directory facts (resolved from `graph` and `hr` by the tenant's source choice).
    orgUnit: { type: String, default: '' },
    jobLevel: { type: String, default: '' },
    lineManagerId: { type: String, default: null },
    /** IANA zone; null where nothing is known (the tenant's default zone applies). */
    timeZone: { type: String, default: null },
    workingHours: { type: workingHoursSchema, default: null },
    graph: { type: directoryFactsSchema, default: null },
    hr: { type: directoryFactsSchema, default: null },
    /** How many people name this person as their line manager (set after each sync or import). */
    directReports: { type: Number, default: 0 },
    /** The incremental run that last moved `directReports` by its changes (so a run repeated after a crash moves it once). */
    reportsRunId: { type: String, default: null },
    /** The 'manager' role was given because the person has direct reports (and goes when they have none). */
    managerByDirectory: { type: Boolean, default: false },
    /** Removed or disabled in Entra, or left by the HR file: kept (never hard-deleted), out of pickers, pulses and seats. */
    departedAt: { type: Date, default: null },
    /** Who said they left: 'hr' (the HR file's `left_on`, which only an HR file or its own date undoes) or 'directory' (Entra). */
    departureSource: { type: String, enum: ['directory', 'hr', null], default: null },
    /** For lists: the folded name, and prefix-search keys (name words, email). */
    nameKey: { type: String, default: '' },
    searchKeys: { type: [String], default: [] },
    /** When the Teams app was installed for the person through Graph (or found installed), so activity-feed notices reach them. */
    appInstalledAt: { type: Date, default: null },
    demo: { type: Boolean, default: false },
    lastSignInAt: { type: Date, default: null },
    /** Erased at the person's request: `userId` is a pseudonym and every personal field is blank. */
    erasedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
userSchema.index({ tenantId: 1, userId: 1 }, { unique: true });
// A manager's team; and, name-ordered, the admin's list of people without a line manager (null).
userSchema.index({ tenantId: 1, lineManagerId: 1, nameKey: 1, userId: 1 });
userSchema.index({ tenantId: 1, nameKey: 1, userId: 1 });
// Search by a word prefix in name order (pickers, the admin's list): equality, then the sort, so
// MongoDB reads a page of index entries instead of sorting every match.
userSchema.index({ tenantId: 1, searchKeys: 1, nameKey: 1, userId: 1 });
userSchema.index({ tenantId: 1, upn: 1 });

/** One per tenant: where the directory sync stands (its resumable cursor included). */
const directorySyncSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    status: { type: String, enum: DIRECTORY_SYNC_STATUSES, default: 'never' },
    /** The run in progress or last run: full (no delta link) or incremental. */
    mode: { type: String, enum: ['full', 'incremental', null], default: null },
    runId: { type: String, default: null },
    /** The next page to read (`@odata.nextLink`), so a killed worker resumes where it stopped. */
    cursor: { type: String, default: null },
    /** Where the next incremental run starts (`@odata.deltaLink` of the last complete run). */
    deltaLink: { type: String, default: null },
    /** Where a run stands: reading users (with their mailbox settings) page by page, then recounting, then reading who holds the app's roles. */
    phase: { type: String, enum: ['users', 'finish', 'roles', null], default: null },
    /** An admin asked for a sync (kept until a run starts, so a request made while Redis was down still runs). */
    requestedAt: { type: Date, default: null },
    requestedFull: { type: Boolean, default: false },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    lastSuccessAt: { type: Date, default: null },
    /** The last full run that succeeded (a week later, the next run is a full one again). */
    lastFullAt: { type: Date, default: null },
    nextRunAt: { type: Date, default: null },
    pages: { type: Number, default: 0 },
    counts: { type: Schema.Types.Mixed, default: {} },
    /** The directory at a glance (usecases/directory.ts PeopleCounts), from the last run's final pass. */
    people: { type: Schema.Types.Mixed, default: null },
    /** The last sign of life of the run in progress (a long final pass shows it is not stuck). */
    heartbeatAt: { type: Date, default: null },
    /** The run whose changes `people` counts (so a final pass run again does not count them twice). */
    peopleRunId: { type: String, default: null },
    /** The last HR file committed: when, and what it did (the directory's state for an organisation without Graph). */
    lastImport: { type: Schema.Types.Mixed, default: null },
    /** The last run whose final pass finished (roles and lists written) with someone who may have become eligible: programmes open for enrolment invite from it. */
    settledRunId: { type: String, default: null },
    /** The admin changed the attribute mapping or the sources: everyone's effective fields are re-resolved. */
    resolveRequestedAt: { type: Date, default: null },
    /** The next day someone is due to leave by the HR file (YYYY-MM-DD): the reconcile departs them then. */
    nextLeaving: { type: String, default: null },
    /** What stopped the last run, in words an admin can act on (consent missing, say). */
    error: { code: { type: String, default: null }, message: { type: String, default: null }, at: { type: Date, default: null } },
    /** The app's role assignments in Entra as the last run read them: when, how many people hold a role, or why they could not be read. */
    appRoles: { type: new Schema({ at: Date, holders: Number, error: String }, { _id: false }), default: null },
    /** A full run read no mailbox and was refused (403): MailboxSettings.Read not granted, and what to grant; cleared by any run that reads a mailbox. */
    mailboxRefusal: { type: new Schema({ message: String, at: Date }, { _id: false }), default: null },
  },
  { timestamps: true },
);
directorySyncSchema.index({ tenantId: 1 }, { unique: true });

/** Someone whose app roles a sync took from Entra's assignments: the next sync finds them to clear when Entra takes the roles away. */
const entraRoleHolderSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    userId: { type: String, required: true },
    roles: { type: [String], default: [] },
    /** When it was written (by a sync or a sign-in): the sync deletes a record only if no sign-in wrote it since it read it. */
    at: { type: Date, default: null },
  },
  { timestamps: false },
);
entraRoleHolderSchema.index({ tenantId: 1, userId: 1 }, { unique: true });

/** A problem with one person found by a sync or an HR import; the run went on without it. */
const directoryIssueSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    source: { type: String, enum: ['graph', 'hr'], required: true },
    userId: { type: String, default: '' },
    kind: { type: String, required: true },
    detail: { type: String, default: '' },
    runId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);
directoryIssueSchema.index({ tenantId: 1, source: 1, userId: 1, kind: 1 }, { unique: true });
directoryIssueSchema.index({ tenantId: 1, at: -1 });

/** The org units and job levels of a tenant with how many active people have each, for pickers (rebuilt after each sync or import). */
const directoryFacetSchema = new Schema({
  tenantId: { type: String, required: true },
  kind: { type: String, enum: ['orgUnit', 'jobLevel'], required: true },
  value: { type: String, required: true },
  count: { type: Number, required: true },
  runId: { type: String, required: true },
});
directoryFacetSchema.index({ tenantId: 1, kind: 1, value: 1 }, { unique: true });

/**
 * A person an incremental directory sync is about to write, with what the directory counted of them
 * before (null: new). Recorded before the write and never overwritten, so a page applied again
 * after a crash keeps the first "before"; the run's final pass recounts from these alone.
 */
const directoryChangeSchema = new Schema({
  tenantId: { type: String, required: true },
  runId: { type: String, required: true },
  userId: { type: String, required: true },
  before: { type: Schema.Types.Mixed, default: null },
});
directoryChangeSchema.index({ tenantId: 1, runId: 1, userId: 1 }, { unique: true });

/**
 * Who a full directory sync has seen, a delta page at a time (by page number: a page read again
 * writes the same). A fresh delta query does not report people deleted before it, so at the run's
 * end those Graph described before and the run did not see are the ones who left.
 */
const directorySeenSchema = new Schema({
  tenantId: { type: String, required: true },
  runId: { type: String, required: true },
  page: { type: Number, required: true },
  userIds: { type: [String], default: [] },
});
directorySeenSchema.index({ tenantId: 1, runId: 1, page: 1 }, { unique: true });

const sessionPlanSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    cohortId: { type: Types.ObjectId, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    timeZone: { type: String, required: true },
    location: { type: String, default: '' },
    sequence: { type: Number, default: 0 },
    cancelled: { type: Boolean, default: false },
    /** Set once the session's feedback requests have been created (by the sweep). */
    feedbackRequestedAt: { type: Date, default: null },
    outbox: { type: [outboxEntry], default: [] },
    /** True while the outbox holds entries (events/contracts.ts withEvent); absent otherwise. */
    outboxPending: { type: Boolean },
  },
  { timestamps: true },
);
// Unique: preparing a cohort twice at once (a retried job beside the first run) books each planned session once.
sessionPlanSchema.index({ tenantId: 1, cohortId: 1, startsAt: 1, title: 1 }, { unique: true });
sessionPlanSchema.index({ tenantId: 1, startsAt: 1 });
// A programme's sessions (the owner's cohorts page, the sponsors' kickoffs), in time order.
sessionPlanSchema.index({ tenantId: 1, programmeId: 1, startsAt: 1 });
sessionPlanSchema.index({ outboxPending: 1 });

const programmeSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: ['pilot', 'rollout'], required: true },
    status: { type: String, required: true },
    summary: { type: String, default: '' },
    goals: { type: String, default: '' },
    hypothesis: { type: String, default: '' },
    eligibility: {
      userIds: { type: [String], default: [] },
      orgUnits: { type: [String], default: [] },
      jobLevels: { type: [String], default: [] },
    },
    capacityPerCohort: { type: Number, required: true },
    enrolmentOpensAt: { type: Date, required: true },
    enrolmentClosesAt: { type: Date, required: true },
    metrics: { type: [String], default: [] },
    /** The metric the verdict rests on; the others are adjusted for multiple comparisons. */
    primaryMetric: { type: String, default: null },
    /** The team pulse's statements (domain/coaching-scale item keys). */
    pulseItems: { type: [String], default: undefined },
    /**
     * Who the participants are compared with, always among managers who did not enrol: every
     * eligible one, the people the owner chose, or one eligible match per participant (same org
     * unit, nearest baseline).
     */
    comparison: {
      mode: { type: String, enum: ['all_eligible', 'chosen', 'matched'], default: 'all_eligible' },
      userIds: { type: [String], default: [] },
      /** Matched mode: how far (in baseline standard deviations) a match may be. */
      caliperSd: { type: Number, default: 0.5 },
    },
    cohortCount: { type: Number, default: 1 },
    /** Managers' line managers approve each enrolment before a seat is allocated. */
    requiresLineManagerApproval: { type: Boolean, default: false },
    /** The session plan as designed; cohorts and their session documents are made from it when enrolment opens. */
    sessionPlan: {
      type: [
        new Schema(
          { kind: String, title: String, startsAt: Date, durationMinutes: Number, timeZone: String, location: String },
          { _id: false },
        ),
      ],
      default: [],
    },
    sponsorIds: { type: [String], default: [] },
    sponsorRule: { type: String, enum: ['any', 'all'], default: 'any' },
    /** One entry per sponsor, keyed by their user id, so each decision is a named-field update. */
    sponsorDecisions: { type: Schema.Types.Mixed, default: {} },
    /** Sponsors who left the organisation before deciding, when that sent the programme back to its owner (`programme.sponsor_left`); cleared by the next submission. */
    sponsorsLeft: { type: [String], default: [] },
    submittedAt: { type: Date, default: null },
    /** The periods compared: outcome values carry one of these in their `period`. */
    baselinePeriod: { type: String, default: 'before' },
    followUpPeriod: { type: String, default: 'after' },
    /** Fixed when the programme is sponsored, so the judging metrics cannot be picked afterwards. */
    locked: {
      at: { type: Date, default: null },
      metrics: { type: [String], default: [] },
      primaryMetric: { type: String, default: null },
      pulseItems: { type: [String], default: undefined },
      baselinePeriod: { type: String, default: null },
      followUpPeriod: { type: String, default: null },
      comparison: {
        mode: { type: String, enum: ['all_eligible', 'chosen', 'matched', null], default: null },
        userIds: { type: [String], default: [] },
        caliperSd: { type: Number, default: null },
      },
    },
    /** Every change to the metric choice after the lock, shown beside the results. */
    metricChanges: { type: [new Schema({ at: Date, by: String, from: [String], to: [String] }, { _id: false })], default: [] },
    /** When each sponsor first opened the results page, keyed by user id (a tracked commitment). */
    resultsViewedBy: { type: Schema.Types.Mixed, default: {} },
    /** When the post pulse goes out: set by the completion, in the same write as its event. */
    postPulseDueAt: { type: Date, default: null },
    /**
     * True from completion until the feedback sweep asks the post pulse; absent otherwise. The
     * sweep finds waiting pulses by this equality (FerretDB hands its backend equality only, so a
     * range on the date alone would read every programme).
     */
    postPulseWaiting: { type: Boolean },
    postPulseAskedAt: { type: Date, default: null },
    /** The event whose id keys the invitations (one per person): set by the first invitation run, so later runs add only newcomers. */
    invitationEventId: { type: String, default: null },
    /** The directory's state (DirectorySync.settledRunId) the eligible managers were last invited from; '' (or none) asks for a pass. */
    invitedThrough: { type: String, default: null },
    expandedFrom: { type: Types.ObjectId, default: null },
    createdBy: { type: String, required: true },
    seedKey: { type: String, default: null },
    outbox: { type: [outboxEntry], default: [] },
    /** True while the outbox holds entries (events/contracts.ts withEvent); absent otherwise. */
    outboxPending: { type: Boolean },
  },
  { timestamps: true },
);
programmeSchema.index({ tenantId: 1, status: 1 });
programmeSchema.index({ tenantId: 1, sponsorIds: 1 });
programmeSchema.index({ tenantId: 1, seedKey: 1 });
// The sweep's post pulses that have come due: equality, then the due time (range and order).
programmeSchema.index({ postPulseWaiting: 1, postPulseDueAt: 1 });
programmeSchema.index({ outboxPending: 1 });

const cohortSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    name: { type: String, required: true },
    /** Position in the programme's cohorts (0-based): makes creating cohorts idempotent. */
    index: { type: Number, default: 0 },
    capacity: { type: Number, required: true, min: 1 },
    /** Every turn up to this one is decided (or withdrawn): the allocator reads the queue from here. */
    turnsDecided: { type: Number, default: 0 },
  },
  { timestamps: true },
);
cohortSchema.index({ tenantId: 1, programmeId: 1, index: 1 }, { unique: true });

/**
 * A place in a cohort's seat queue: turn n of a cohort is one document whose _id names it, so two
 * requests cannot take the same place, and a request takes place n+1 only after reading place n.
 * The allocator therefore decides turns in order the moment they exist, with no pause for
 * requests that might still be on their way: arrival order is fixed by the storage engine's
 * uniqueness, not by clocks.
 */
const turnSchema = new Schema({
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  cohortId: { type: Types.ObjectId, required: true },
  n: { type: Number, required: true },
  enrolmentId: { type: Types.ObjectId, required: true },
  /** Strictly increasing with n, whatever the instances' clocks: the enrolment's requestedAt. */
  at: { type: Date, required: true },
});
turnSchema.index({ tenantId: 1, cohortId: 1, n: 1 });
turnSchema.index({ tenantId: 1, enrolmentId: 1 }, { unique: true });

/**
 * One document per taken seat. Capacity is enforced by unique indexes, which the storage engine
 * guarantees even where a conditional update is a read-modify-write (FerretDB): seat numbers run
 * 1..capacity and are unique per cohort, and an enrolment holds at most one seat.
 */
const seatSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    cohortId: { type: Types.ObjectId, required: true },
    seatNo: { type: Number, required: true },
    enrolmentId: { type: Types.ObjectId, required: true },
  },
  { timestamps: true },
);
seatSchema.index({ tenantId: 1, cohortId: 1, seatNo: 1 }, { unique: true });
seatSchema.index({ tenantId: 1, enrolmentId: 1 }, { unique: true });

/** Short leases by key (unique _id), so one allocator at a time decides a cohort's seats in arrival order. */
const leaseSchema = new Schema({ _id: { type: String, required: true }, owner: { type: String, required: true }, until: { type: Date, required: true } });

const enrolmentSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    cohortId: { type: Types.ObjectId, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: ENROLMENT_STATUSES, required: true },
    /** Distinguishes re-enrolment after a withdrawal, so each active enrolment is unique. */
    attempt: { type: Number, default: 1 },
    /** When it joined the seat queue: its turn's time once it has one (so arrival order is turn order). */
    requestedAt: { type: Date, required: true },
    /** Its place in the cohort's seat queue (see Turn); null until taken. */
    turn: { type: Number, default: null },
    decidedAt: { type: Date, default: null },
    withdrawnAt: { type: Date, default: null },
    lastError: { type: String, default: null },
    /** Who approves this enrolment (the person's line manager), when the programme asks for it. */
    approverId: { type: String, default: null },
    approvalComment: { type: String, default: '' },
    outbox: { type: [outboxEntry], default: [] },
    /** True while the outbox holds entries (events/contracts.ts withEvent); absent otherwise. */
    outboxPending: { type: Boolean },
  },
  { timestamps: true },
);
enrolmentSchema.index({ tenantId: 1, approverId: 1, status: 1 });
enrolmentSchema.index({ tenantId: 1, programmeId: 1, userId: 1, attempt: 1 }, { unique: true });
enrolmentSchema.index({ tenantId: 1, userId: 1 });
enrolmentSchema.index({ tenantId: 1, cohortId: 1, status: 1 });
enrolmentSchema.index({ outboxPending: 1 });

const participantSessionSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    enrolmentId: { type: Types.ObjectId, required: true },
    sessionId: { type: Types.ObjectId, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: ['scheduled', 'cancelled'], default: 'scheduled' },
    /** The calendar event in the person's Outlook calendar, when Microsoft Graph is configured. */
    calendar: {
      state: { type: String, enum: ['none', 'created', 'failed'], default: 'none' },
      eventId: { type: String, default: null },
      joinUrl: { type: String, default: null },
      /** The session-plan sequence the calendar event reflects. */
      sequence: { type: Number, default: -1 },
      error: { type: String, default: null },
    },
  },
  { timestamps: true },
);
participantSessionSchema.index({ tenantId: 1, enrolmentId: 1, sessionId: 1 }, { unique: true });
participantSessionSchema.index({ tenantId: 1, userId: 1 });
// The feedback sweep: who is booked on a session that has ended.
participantSessionSchema.index({ tenantId: 1, sessionId: 1, status: 1 });

/**
 * A request for feedback to one person, chased by the reminder ladder until answered. For a
 * pulse it records only THAT the person answered (for chasing); the answer itself is stored
 * apart, without the person's identity.
 */
const feedbackRequestSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    kind: { type: String, enum: ['session_feedback', 'pulse'], required: true },
    recipientId: { type: String, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    /** session_feedback: the session; pulse: none. */
    sessionId: { type: Types.ObjectId, default: null },
    /** session_feedback: the participant's enrolment; pulse: the rated manager's enrolment (none for a comparison manager). */
    enrolmentId: { type: Types.ObjectId, default: null },
    /** pulse only: the manager the team member is asked about, and baseline or post. */
    managerId: { type: String, default: null },
    /** pulse only: the manager's name when the pulse was created, for its notices (no directory read per batch). */
    managerName: { type: String, default: null },
    phase: { type: String, enum: ['baseline', 'post', null], default: null },
    status: { type: String, enum: FEEDBACK_STATUSES, default: 'open' },
    timeZone: { type: String, default: 'UTC' },
    /** The recipient's working hours and days when the request was made (reminders go out only inside them). */
    workingHours: { type: workingHoursSchema, default: null },
    sentAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    /** Idempotency key: one request per person and subject. */
    key: { type: String, required: true },
    /** The ladder-start batch: requests created together get their first notice and ladder in one job. */
    batch: { type: String, default: null },
  },
  { timestamps: true },
);
feedbackRequestSchema.index({ tenantId: 1, key: 1 }, { unique: true });
feedbackRequestSchema.index({ tenantId: 1, recipientId: 1, status: 1 });
feedbackRequestSchema.index({ tenantId: 1, programmeId: 1, kind: 1, status: 1 });
// The escalation digest: who has not answered about a session.
feedbackRequestSchema.index({ tenantId: 1, sessionId: 1, kind: 1, status: 1 });
feedbackRequestSchema.index({ tenantId: 1, batch: 1 });
// The pulses about a manager, cancelled when they leave.
feedbackRequestSchema.index({ tenantId: 1, managerId: 1, status: 1 });

/**
 * One feedback request's reminder ladder: its planned steps (the steps done are FeedbackStep
 * records; `lastStepDone` is kept for ladders stored without a batch). Kept apart from the request
 * (same `_id`) so that the worker recording a step and the person answering never write the same
 * document: FerretDB applies an update as a read-modify-write of the whole document, so one of two
 * concurrent writes could be lost.
 */
const feedbackLadderSchema = new Schema(
  {
    _id: { type: Types.ObjectId, required: true },
    tenantId: { type: String, required: true },
    ladder: { type: [new Schema({ step: String, dueAt: Date }, { _id: false })], default: [] },
    lastStepDone: { type: String, default: 'notify' },
    /** The request's ladder-start batch: a due step reads and records its group's ladders by it (none on ladders stored before steps were grouped). */
    batch: { type: String, default: null },
  },
  { timestamps: true },
);
feedbackLadderSchema.index({ tenantId: 1, batch: 1 });

/**
 * A ladder step sent to some of a batch's requests: one document per group and step, only ever
 * inserted. A request's progress is the latest step any of its batch's documents name (or its
 * ladder's `lastStepDone`, for ladders stored without a batch): recording a step for a hundred
 * requests is one insert, where updating their ladders was a hundred writes on FerretDB.
 */
const feedbackStepSchema = new Schema({
  tenantId: { type: String, required: true },
  batch: { type: String, required: true },
  step: { type: String, required: true },
  requestIds: { type: [String], default: [] },
  at: { type: Date, required: true },
});
feedbackStepSchema.index({ tenantId: 1, batch: 1 });

/** A participant's rating of a session (not anonymous: their coach reads it). */
const sessionFeedbackSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    requestId: { type: Types.ObjectId, required: true },
    sessionId: { type: Types.ObjectId, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    userId: { type: String, required: true },
    rating: { type: Number, required: true, min: 1, max: 5 },
    tryNext: { type: String, default: '' },
    comment: { type: String, default: '' },
  },
  { timestamps: true },
);
sessionFeedbackSchema.index({ tenantId: 1, requestId: 1 }, { unique: true });
sessionFeedbackSchema.index({ tenantId: 1, sessionId: 1 });
sessionFeedbackSchema.index({ tenantId: 1, userId: 1 });
sessionFeedbackSchema.index({ tenantId: 1, createdAt: 1 });

/** One team member's pulse about their manager: scores only, no respondent, no request id, no precise time. */
const pulseResponseSchema = new Schema({
  // A random id: an ObjectId would carry the creation second.
  _id: { type: String, required: true },
  tenantId: { type: String, required: true },
  programmeId: { type: Types.ObjectId, required: true },
  managerId: { type: String, required: true },
  phase: { type: String, enum: ['baseline', 'post'], required: true },
  /** Item key → 1–5, for the items the programme asks (see domain/coaching-scale). Earlier answers hold three top-level fields instead. */
  scores: { type: Schema.Types.Mixed, required: true },
  /** The day only, so answer order cannot be matched to the chasing record. */
  day: { type: String, required: true },
});
pulseResponseSchema.index({ tenantId: 1, programmeId: 1, phase: 1 });

/** One outcome figure per person, metric and period (imported from HR systems or CSV). */
const outcomeValueSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    personId: { type: String, required: true },
    metric: { type: String, required: true },
    period: { type: String, required: true },
    value: { type: Number, required: true },
    importId: { type: String, required: true },
  },
  { timestamps: true },
);
outcomeValueSchema.index({ tenantId: 1, metric: 1, period: 1, personId: 1 }, { unique: true });
outcomeValueSchema.index({ tenantId: 1, personId: 1 });
// The retention purge: figures imported before a date.
outcomeValueSchema.index({ tenantId: 1, createdAt: 1 });

/** Who attended a session: participants, and sponsors at the kickoff (their commitment). */
const attendanceSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    sessionId: { type: Types.ObjectId, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    userId: { type: String, required: true },
    attendance: { type: String, enum: ['attended', 'no_show'], required: true },
    recordedBy: { type: String, required: true },
  },
  { timestamps: true },
);
attendanceSchema.index({ tenantId: 1, sessionId: 1, userId: 1 }, { unique: true });
attendanceSchema.index({ tenantId: 1, programmeId: 1, userId: 1 });
attendanceSchema.index({ tenantId: 1, userId: 1 });

const notificationSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    userId: { type: String, required: true },
    /** The event that caused it: makes delivery idempotent. */
    eventId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: '' },
    link: { type: String, default: '' },
    /** The values the title and body are made of, for the tab to word them in the reader's language (Notice.params). */
    params: { type: Schema.Types.Mixed, default: {} },
    readAt: { type: Date, default: null },
    /** Teams activity feed: the declared activity type and its template parameters. */
    activity: {
      type: { type: String, default: null },
      params: { type: Schema.Types.Mixed, default: {} },
    },
    /** Delivery to the activity feed: off (no Graph or no activity type), pending, sent, failed, held while Graph refuses it, released (to be sent by the sweep) once Graph allows notices again. */
    feed: {
      state: { type: String, enum: ['off', 'pending', 'sent', 'failed', 'held', 'released'], default: 'off' },
      error: { type: String, default: null },
      attempts: { type: Number, default: 0 },
    },
  },
  { timestamps: true },
);
notificationSchema.index({ tenantId: 1, userId: 1, eventId: 1 }, { unique: true });
notificationSchema.index({ tenantId: 1, userId: 1, createdAt: -1 });
// The retention purge: notices sent before a date.
notificationSchema.index({ tenantId: 1, createdAt: 1 });
// The sweep's notices still owed to the feed: held and released ones.
notificationSchema.index({ 'feed.state': 1, tenantId: 1 });

/**
 * Who has been invited to enrol in a programme, once each: later invitation passes (the directory
 * changed while enrolment is open) invite only those not here. Kept apart from the notices, which
 * the retention purge removes.
 */
const invitationSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    programmeId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
invitationSchema.index({ tenantId: 1, programmeId: 1, userId: 1 }, { unique: true });

/**
 * Record of privileged actions: only ever inserted, except that the retention purge deletes entries
 * past the tenant's period and an erasure replaces the erased person's id by their pseudonym.
 */
const auditEventSchema = new Schema({
  tenantId: { type: String, required: true },
  actorId: { type: String, required: true },
  actorRoles: { type: [String], default: [] },
  action: { type: String, required: true },
  target: { type: String, required: true },
  detail: { type: Schema.Types.Mixed, default: {} },
  requestId: { type: String, default: '' },
  at: { type: Date, required: true },
});
auditEventSchema.index({ tenantId: 1, at: -1 });
auditEventSchema.index({ tenantId: 1, actorId: 1 });
auditEventSchema.index({ tenantId: 1, target: 1 });

/** A success metric of the organisation's own (the built-in ones live in domain/metrics). */
const metricSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    key: { type: String, required: true },
    label: { type: String, required: true },
    unit: { type: String, default: '' },
    direction: { type: String, enum: ['higher_is_better', 'lower_is_better'], required: true },
    source: { type: String, enum: ['imported'], default: 'imported' },
    min: { type: Number, default: null },
    max: { type: Number, default: null },
    archivedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
metricSchema.index({ tenantId: 1, key: 1 }, { unique: true });

/**
 * The people behind a group figure of the impact analysis once it was shown (per programme, metric
 * and group), so that a later figure whose group differs by fewer than the minimum group size is
 * withheld instead of letting the two be subtracted.
 */
const shownGroupSchema = new Schema({
  tenantId: { type: String, required: true },
  programmeId: { type: Types.ObjectId, required: true },
  metric: { type: String, required: true },
  group: { type: String, enum: ['treated', 'comparison'], required: true },
  /** SHA-256 of the sorted member ids: one record per distinct group. */
  key: { type: String, required: true },
  members: { type: [String], default: [] },
  at: { type: Date, required: true },
});
shownGroupSchema.index({ tenantId: 1, programmeId: 1, metric: 1, group: 1, key: 1 }, { unique: true });

/**
 * Who took part in a programme and who they are compared with, as its start found them (each with
 * their org unit then, for the analysis's clusters and strata): a manager who moves out of the
 * eligible org unit later stays compared (their baseline stands), one who moves in was not
 * measured before and is not added, so results do not shift with the directory after being shown.
 * One document per programme, inserted whole: a group is fixed entirely or not at all, and the
 * first one stored stands.
 */
const programmeGroupsSchema = new Schema({
  tenantId: { type: String, required: true },
  programmeId: { type: Types.ObjectId, required: true },
  at: { type: Date, required: true },
  members: { type: [new Schema({ userId: String, group: { type: String, enum: ['treated', 'comparison'] }, orgUnit: String }, { _id: false })], default: [] },
});
programmeGroupsSchema.index({ tenantId: 1, programmeId: 1 }, { unique: true });

/**
 * An erasure of one person, asked for and then confirmed by an admin, carried out by a worker.
 * While it runs it names the person; once done it keeps only the pseudonym's absence and a one-way
 * key (so a later directory sync does not bring the person back), never their id.
 */
const erasureSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    state: { type: String, enum: ['requested', 'confirmed', 'done', 'expired'], required: true },
    /** The person, until the erasure is done. */
    userId: { type: String, default: null },
    /** SHA-256 of the tenant and the person's id: what the directory sync and HR import check, never reversible. */
    key: { type: String, required: true },
    /** What stands for the person in every record kept; dropped when done, so nothing links it to the key. */
    pseudonym: { type: String, default: null },
    /** The person's name, email and UPN while the erasure runs (replaced wherever free text holds them); emptied when done. */
    needles: { type: [String], default: [] },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    confirmBy: { type: Date, required: true },
    confirmedBy: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    /** Records changed per collection, for the audit trail. */
    counts: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true },
);
erasureSchema.index({ tenantId: 1, key: 1, state: 1 });
erasureSchema.index({ state: 1 });

/**
 * A request to delete all of an organisation's data: it waits (and can be cancelled), then a
 * worker deletes every document and queued job of the tenant. Kept afterwards with counts only.
 */
const tenantDeletionSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    state: { type: String, enum: ['scheduled', 'cancelled', 'running', 'done'], required: true },
    /** Who asked: an admin's id, or 'operator'; cleared when the deletion is done. */
    requestedBy: { type: String, default: null },
    requestedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    cancelledAt: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    countsBefore: { type: Schema.Types.Mixed, default: null },
    countsAfter: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true },
);
tenantDeletionSchema.index({ tenantId: 1, state: 1 });
tenantDeletionSchema.index({ state: 1, dueAt: 1 });

/** An organisation's own role-play scenarios; the built-in ones live in domain/practice.ts. */
const scenarioSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    key: { type: String, required: true },
    title: { type: String, required: true },
    situation: { type: String, required: true },
    practisingBrief: { type: String, required: true },
    partnerBrief: { type: String, required: true },
    aims: { type: [String], default: [] },
    archived: { type: Boolean, default: false },
    createdBy: { type: String, required: true },
  },
  { timestamps: true },
);
scenarioSchema.index({ tenantId: 1, key: 1 }, { unique: true });

/** A role-play room at a practice session: its people (roles rotate each round) and the scenarios of its rounds. */
const practiceRoomSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    sessionId: { type: Types.ObjectId, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    /** 1.. within the session: makes opening the rooms idempotent. */
    number: { type: Number, required: true },
    members: { type: [String], required: true },
    roundMinutes: { type: Number, required: true },
    /** The scenario of each round, in turn (the list repeats). */
    scenarioKeys: { type: [String], required: true },
    openedBy: { type: String, required: true },
  },
  { timestamps: true },
);
practiceRoomSchema.index({ tenantId: 1, sessionId: 1, number: 1 }, { unique: true });
practiceRoomSchema.index({ tenantId: 1, members: 1 });

/** One round in a room; unique per room and index, so two people starting the next round at once start one. */
const practiceRoundSchema = new Schema(
  {
    tenantId: { type: String, required: true },
    roomId: { type: Types.ObjectId, required: true },
    sessionId: { type: Types.ObjectId, required: true },
    programmeId: { type: Types.ObjectId, required: true },
    index: { type: Number, required: true },
    scenarioKey: { type: String, required: true },
    practisingId: { type: String, required: true },
    partnerId: { type: String, required: true },
    observerIds: { type: [String], required: true },
    startedAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    /** The partner's "I found my own answer" and "I felt heard", 1–5. */
    rating: { type: new Schema({ ownAnswer: Number, heard: Number }, { _id: false }), default: null },
    /** The markers the observer saw; null until the observer has answered. */
    markers: { type: [String], default: null },
    note: { type: String, default: '' },
  },
  { timestamps: true },
);
practiceRoundSchema.index({ tenantId: 1, roomId: 1, index: 1 }, { unique: true });
practiceRoundSchema.index({ tenantId: 1, practisingId: 1, startedAt: 1 });
practiceRoundSchema.index({ tenantId: 1, programmeId: 1 });

/** One observer tap; its id is the client's, so a tap sent twice (a retry, an offline queue) is stored once. */
const practiceTapSchema = new Schema({
  tenantId: { type: String, required: true },
  roomId: { type: Types.ObjectId, required: true },
  round: { type: Number, required: true },
  tapId: { type: String, required: true },
  code: { type: String, required: true },
  undoes: { type: String, default: null },
  by: { type: String, required: true },
  at: { type: Date, required: true },
});
practiceTapSchema.index({ tenantId: 1, roomId: 1, tapId: 1 }, { unique: true });
practiceTapSchema.index({ tenantId: 1, roomId: 1, round: 1 });

export type TenantDoc = InferSchemaType<typeof tenantSchema>;
export type UserDoc = InferSchemaType<typeof userSchema>;
export type DirectorySyncDoc = InferSchemaType<typeof directorySyncSchema> & { _id: Types.ObjectId };
export type DirectoryIssueDoc = InferSchemaType<typeof directoryIssueSchema> & { _id: Types.ObjectId };
export type DirectoryFacetDoc = InferSchemaType<typeof directoryFacetSchema> & { _id: Types.ObjectId };
export type DirectoryChangeDoc = InferSchemaType<typeof directoryChangeSchema> & { _id: Types.ObjectId };
export type DirectorySeenDoc = InferSchemaType<typeof directorySeenSchema> & { _id: Types.ObjectId };
export type InvitationDoc = InferSchemaType<typeof invitationSchema> & { _id: Types.ObjectId };
export type EntraRoleHolderDoc = InferSchemaType<typeof entraRoleHolderSchema> & { _id: Types.ObjectId };
export type ProgrammeDoc = InferSchemaType<typeof programmeSchema> & { _id: Types.ObjectId };
export type CohortDoc = InferSchemaType<typeof cohortSchema> & { _id: Types.ObjectId };
export type SessionPlanDoc = InferSchemaType<typeof sessionPlanSchema> & { _id: Types.ObjectId };
export type SeatDoc = InferSchemaType<typeof seatSchema> & { _id: Types.ObjectId };
export type TurnDoc = InferSchemaType<typeof turnSchema>;
export type LeaseDoc = InferSchemaType<typeof leaseSchema>;
export type EnrolmentDoc = InferSchemaType<typeof enrolmentSchema> & { _id: Types.ObjectId };
export type ParticipantSessionDoc = InferSchemaType<typeof participantSessionSchema> & { _id: Types.ObjectId };
export type AuditEventDoc = InferSchemaType<typeof auditEventSchema> & { _id: Types.ObjectId };
export type FeedbackRequestDoc = InferSchemaType<typeof feedbackRequestSchema> & { _id: Types.ObjectId };
export type FeedbackLadderDoc = InferSchemaType<typeof feedbackLadderSchema> & { _id: Types.ObjectId };
export type FeedbackStepDoc = InferSchemaType<typeof feedbackStepSchema>;
export type SessionFeedbackDoc = InferSchemaType<typeof sessionFeedbackSchema> & { _id: Types.ObjectId };
export type PulseResponseDoc = InferSchemaType<typeof pulseResponseSchema>;
export type OutcomeValueDoc = InferSchemaType<typeof outcomeValueSchema> & { _id: Types.ObjectId };
export type AttendanceDoc = InferSchemaType<typeof attendanceSchema> & { _id: Types.ObjectId };
export type NotificationDoc = InferSchemaType<typeof notificationSchema> & { _id: Types.ObjectId };
export type ErasureDoc = InferSchemaType<typeof erasureSchema>;
export type MetricDoc = InferSchemaType<typeof metricSchema> & { _id: Types.ObjectId };
export type ShownGroupDoc = InferSchemaType<typeof shownGroupSchema> & { _id: Types.ObjectId };
export type ProgrammeGroupsDoc = InferSchemaType<typeof programmeGroupsSchema> & { _id: Types.ObjectId };
export type TenantDeletionDoc = InferSchemaType<typeof tenantDeletionSchema> & { _id: Types.ObjectId };
export type ScenarioDoc = InferSchemaType<typeof scenarioSchema> & { _id: Types.ObjectId };
export type PracticeRoomDoc = InferSchemaType<typeof practiceRoomSchema> & { _id: Types.ObjectId };
export type PracticeRoundDoc = InferSchemaType<typeof practiceRoundSchema> & { _id: Types.ObjectId };
export type PracticeTapDoc = InferSchemaType<typeof practiceTapSchema> & { _id: Types.ObjectId };

export interface Models {
  Tenant: Model<TenantDoc>;
  User: Model<UserDoc>;
  DirectorySync: Model<DirectorySyncDoc>;
  DirectoryIssue: Model<DirectoryIssueDoc>;
  DirectoryFacet: Model<DirectoryFacetDoc>;
  DirectoryChange: Model<DirectoryChangeDoc>;
  DirectorySeen: Model<DirectorySeenDoc>;
  Programme: Model<ProgrammeDoc>;
  Cohort: Model<CohortDoc>;
  SessionPlan: Model<SessionPlanDoc>;
  Enrolment: Model<EnrolmentDoc>;
  Seat: Model<SeatDoc>;
  Turn: Model<TurnDoc>;
  Lease: Model<LeaseDoc>;
  ParticipantSession: Model<ParticipantSessionDoc>;
  Notification: Model<NotificationDoc>;
  Invitation: Model<InvitationDoc>;
  EntraRoleHolder: Model<EntraRoleHolderDoc>;
  Attendance: Model<AttendanceDoc>;
  OutcomeValue: Model<OutcomeValueDoc>;
  FeedbackRequest: Model<FeedbackRequestDoc>;
  FeedbackLadder: Model<FeedbackLadderDoc>;
  FeedbackStep: Model<FeedbackStepDoc>;
  SessionFeedback: Model<SessionFeedbackDoc>;
  PulseResponse: Model<PulseResponseDoc>;
  AuditEvent: Model<AuditEventDoc>;
  ShownGroup: Model<ShownGroupDoc>;
  ProgrammeGroups: Model<ProgrammeGroupsDoc>;
  Metric: Model<MetricDoc>;
  Erasure: Model<ErasureDoc>;
  TenantDeletion: Model<TenantDeletionDoc>;
  Scenario: Model<ScenarioDoc>;
  PracticeRoom: Model<PracticeRoomDoc>;
  PracticeRound: Model<PracticeRoundDoc>;
  PracticeTap: Model<PracticeTapDoc>;
}

/**
 * Binds the models to a connection. With `tenantGuard` (the API and the workers), every query on
 * tenant data must name its tenant (see tenant-guard.ts); tests that inspect the database directly
 * bind without it.
 */
export function bindModels(conn: Connection, { tenantGuard: guard = true } = {}): Models {
  const s = <T extends Schema>(schema: T, name: string): T => {
    if (!guard) return schema;
    const copy = schema.clone() as T;
    tenantGuard(copy, name);
    return copy;
  };
  return {
    Tenant: conn.model('Tenant', s(tenantSchema, 'Tenant'), 'tenants') as unknown as Model<TenantDoc>,
    User: conn.model('User', s(userSchema, 'User'), 'users') as unknown as Model<UserDoc>,
    DirectorySync: conn.model('DirectorySync', s(directorySyncSchema, 'DirectorySync'), 'directory_syncs') as unknown as Model<DirectorySyncDoc>,
    DirectoryIssue: conn.model('DirectoryIssue', s(directoryIssueSchema, 'DirectoryIssue'), 'directory_issues') as unknown as Model<DirectoryIssueDoc>,
    DirectoryFacet: conn.model('DirectoryFacet', s(directoryFacetSchema, 'DirectoryFacet'), 'directory_facets') as unknown as Model<DirectoryFacetDoc>,
    DirectoryChange: conn.model('DirectoryChange', s(directoryChangeSchema, 'DirectoryChange'), 'directory_changes') as unknown as Model<DirectoryChangeDoc>,
    DirectorySeen: conn.model('DirectorySeen', s(directorySeenSchema, 'DirectorySeen'), 'directory_seen') as unknown as Model<DirectorySeenDoc>,
    Programme: conn.model('Programme', s(programmeSchema, 'Programme'), 'programmes') as unknown as Model<ProgrammeDoc>,
    Cohort: conn.model('Cohort', s(cohortSchema, 'Cohort'), 'cohorts') as unknown as Model<CohortDoc>,
    SessionPlan: conn.model('SessionPlan', s(sessionPlanSchema, 'SessionPlan'), 'sessions') as unknown as Model<SessionPlanDoc>,
    Enrolment: conn.model('Enrolment', s(enrolmentSchema, 'Enrolment'), 'enrolments') as unknown as Model<EnrolmentDoc>,
    Seat: conn.model('Seat', s(seatSchema, 'Seat'), 'seats') as unknown as Model<SeatDoc>,
    Turn: conn.model('Turn', s(turnSchema, 'Turn'), 'turns') as unknown as Model<TurnDoc>,
    Lease: conn.model('Lease', leaseSchema, 'leases') as unknown as Model<LeaseDoc>,
    ParticipantSession: conn.model('ParticipantSession', s(participantSessionSchema, 'ParticipantSession'), 'participant_sessions') as unknown as Model<ParticipantSessionDoc>,
    Notification: conn.model('Notification', s(notificationSchema, 'Notification'), 'notifications') as unknown as Model<NotificationDoc>,
    Invitation: conn.model('Invitation', s(invitationSchema, 'Invitation'), 'invitations') as unknown as Model<InvitationDoc>,
    EntraRoleHolder: conn.model('EntraRoleHolder', s(entraRoleHolderSchema, 'EntraRoleHolder'), 'entra_role_holders') as unknown as Model<EntraRoleHolderDoc>,
    FeedbackRequest: conn.model('FeedbackRequest', s(feedbackRequestSchema, 'FeedbackRequest'), 'feedback_requests') as unknown as Model<FeedbackRequestDoc>,
    FeedbackLadder: conn.model('FeedbackLadder', s(feedbackLadderSchema, 'FeedbackLadder'), 'feedback_ladders') as unknown as Model<FeedbackLadderDoc>,
    FeedbackStep: conn.model('FeedbackStep', s(feedbackStepSchema, 'FeedbackStep'), 'feedback_steps') as unknown as Model<FeedbackStepDoc>,
    SessionFeedback: conn.model('SessionFeedback', s(sessionFeedbackSchema, 'SessionFeedback'), 'session_feedback') as unknown as Model<SessionFeedbackDoc>,
    PulseResponse: conn.model('PulseResponse', s(pulseResponseSchema, 'PulseResponse'), 'pulse_responses') as unknown as Model<PulseResponseDoc>,
    OutcomeValue: conn.model('OutcomeValue', s(outcomeValueSchema, 'OutcomeValue'), 'outcome_values') as unknown as Model<OutcomeValueDoc>,
    Attendance: conn.model('Attendance', s(attendanceSchema, 'Attendance'), 'attendance') as unknown as Model<AttendanceDoc>,
    AuditEvent: conn.model('AuditEvent', s(auditEventSchema, 'AuditEvent'), 'audit_events') as unknown as Model<AuditEventDoc>,
    ShownGroup: conn.model('ShownGroup', s(shownGroupSchema, 'ShownGroup'), 'shown_groups') as unknown as Model<ShownGroupDoc>,
    ProgrammeGroups: conn.model('ProgrammeGroups', s(programmeGroupsSchema, 'ProgrammeGroups'), 'programme_groups') as unknown as Model<ProgrammeGroupsDoc>,
    Metric: conn.model('Metric', s(metricSchema, 'Metric'), 'metrics') as unknown as Model<MetricDoc>,
    Erasure: conn.model('Erasure', s(erasureSchema, 'Erasure'), 'erasures') as unknown as Model<ErasureDoc>,
    TenantDeletion: conn.model('TenantDeletion', s(tenantDeletionSchema, 'TenantDeletion'), 'tenant_deletions') as unknown as Model<TenantDeletionDoc>,
    Scenario: conn.model('Scenario', s(scenarioSchema, 'Scenario'), 'scenarios') as unknown as Model<ScenarioDoc>,
    PracticeRoom: conn.model('PracticeRoom', s(practiceRoomSchema, 'PracticeRoom'), 'practice_rooms') as unknown as Model<PracticeRoomDoc>,
    PracticeRound: conn.model('PracticeRound', s(practiceRoundSchema, 'PracticeRound'), 'practice_rounds') as unknown as Model<PracticeRoundDoc>,
    PracticeTap: conn.model('PracticeTap', s(practiceTapSchema, 'PracticeTap'), 'practice_taps') as unknown as Model<PracticeTapDoc>,
  };
}

/**
 * The outbox index of earlier releases, on the collections whose documents carry an outbox. Each
 * still costs every write until dropped; a database that has it comes from a release whose events
 * carry no `outboxPending` mark, so those are marked for the relay first (once: then it is gone).
 */
const RETIRED_OUTBOX_INDEX = 'outbox.at_1';
const OUTBOX_MODELS = ['Enrolment', 'Programme', 'SessionPlan'] as const;
/** Indexes of earlier releases that a declared index now covers, or that nothing uses; each still costs every write. */
const RETIRED_INDEXES: readonly [keyof Models, string][] = [
  ['User', 'tenantId_1_searchKeys_1'],
  ['Programme', 'postPulseWaiting_1'],
  // Nothing looked people up by email (the HR file matches emails in memory; the search's regex could not use it).
  ['User', 'tenantId_1_email_1'],
  // Extended with the name order, for the list of people without a line manager.
  ['User', 'tenantId_1_lineManagerId_1'],
];

/**
 * Indexes made on MongoDB only, for its query plans: FerretDB serves no filter from its own indexes
 * (the stand-in's GINs do, one per field an index names, each costing every write), and these
 * would add GINs that serve nothing there.
 */
export const MONGODB_ONLY_INDEXES: readonly [keyof Models, Record<string, 1 | -1>][] = [
  // People holding a role (the sponsor picker in name order; managers invited, counted and
  // compared) are a few among many: without these MongoDB walks the tenant's name index. On the
  // stand-in a GIN on roles, every manager one key, cost a 20,000-person sync 75 → 94 s.
  ['User', { tenantId: 1, roles: 1, nameKey: 1 }],
  ['User', { tenantId: 1, appRoles: 1, nameKey: 1 }],
  // A programme's pulse panel, for its participants' teams (or one manager's): answers and open
  // requests by phase and manager, where the programme's also hold the comparison group's teams.
  ['PulseResponse', { tenantId: 1, programmeId: 1, phase: 1, managerId: 1 }],
  ['FeedbackRequest', { tenantId: 1, programmeId: 1, kind: 1, phase: 1, status: 1, managerId: 1 }],
  // Someone's feedback requests, newest first; someone's unread notices counted.
  ['FeedbackRequest', { tenantId: 1, recipientId: 1, sentAt: -1 }],
  ['Notification', { tenantId: 1, userId: 1, readAt: 1 }],
  // A person's records where no other index leads with the field naming them (their export,
  // their erasure's count and work): on the stand-in these `$or` reads are not pushed down at all.
  ['DirectoryIssue', { tenantId: 1, userId: 1 }],
  ['DirectoryChange', { tenantId: 1, userId: 1 }],
  ['Programme', { tenantId: 1, createdBy: 1 }],
  ['Invitation', { tenantId: 1, userId: 1 }],
  ['PracticeRound', { tenantId: 1, partnerId: 1 }],
  ['PracticeRound', { tenantId: 1, observerIds: 1 }],
  ['PracticeTap', { tenantId: 1, by: 1 }],
];

type Collection = Models[keyof Models]['collection'];

async function dropRetired(collection: Collection, index: string): Promise<void> {
  try {
    await collection.dropIndex(index);
  } catch (err) {
    // Dropped meanwhile by another process starting at the same time.
    if ((err as { code?: number }).code !== 27) throw err;
  }
}

/** Creates every declared index and retires old ones; run at start-up by each process (idempotent). */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
  if ((await serverKind(models.User.db)) === 'mongodb') for (const [name, keys] of MONGODB_ONLY_INDEXES) await models[name].collection.createIndex(keys);
  for (const name of OUTBOX_MODELS) {
    // The driver's collection: a migration across tenants (the tenant guard is a mongoose hook).
    const collection = models[name].collection;
    if (!(await collection.indexExists(RETIRED_OUTBOX_INDEX))) continue;
    await collection.updateMany({ 'outbox.0': { $exists: true }, outboxPending: { $ne: true } }, { $set: { outboxPending: true } });
    await dropRetired(collection, RETIRED_OUTBOX_INDEX);
  }
  for (const [name, index] of RETIRED_INDEXES) if (await models[name].collection.indexExists(index)) await dropRetired(models[name].collection, index);
}
