/**
 * What the programme and sponsorship routes accept and send, as JSON: validated and documented by
 * the routes (responses checked in tests), and the tab's types. Pure: zod and domain constants.
 */
import { SESSION_WARNING_KINDS } from '../../domain/session-calendar';
import { z } from 'zod';
import { DEFAULT_PULSE_ITEMS, PULSE_ITEM_KEYS } from '../../domain/coaching-scale';
import { COMMITMENT_STATUSES } from '../../domain/commitments';
import { METRIC_KEY } from '../../domain/metrics';
import { COMPARISON_MODES, DEFAULT_CALIPER_SD, isIanaTimeZone, PROGRAMME_STATUSES, SESSION_KINDS } from '../../domain/programme';

const text = (max: number) => z.string().trim().max(max);
const ids = z.array(z.string().min(1).max(64)).max(500);
const kind = z.enum(['pilot', 'rollout']);

/** POST /api/programmes, PUT /api/programmes/:id. */
const sessionInput = z.strictObject({
  kind: z.enum(SESSION_KINDS),
  title: text(200).min(1),
  startsAt: z.iso.datetime({ offset: true }).describe('The start instant (ISO 8601 with offset)'),
  durationMinutes: z.number().int().min(1).max(24 * 60),
  timeZone: text(64).min(1).describe('IANA time zone of the organiser, e.g. Europe/London'),
  location: text(300).default(''),
});

/** The sessions of a design being planned, to be checked against the calendar. */
export const sessionCheckBody = z.strictObject({
  sessions: z.array(sessionInput.pick({ title: true, startsAt: true, durationMinutes: true }).extend({ timeZone: text(64).refine(isIanaTimeZone, 'not a known time zone') })).max(50),
});
export const sessionCheckResponse = z.object({
  warnings: z.array(z.object({ index: z.number().int(), kind: z.enum(SESSION_WARNING_KINDS), message: z.string() })),
});
export type SessionCheckBody = z.input<typeof sessionCheckBody>;
export type SessionCheckResponse = z.output<typeof sessionCheckResponse>;

export const designBody = z.strictObject({
  title: text(200).min(3),
  kind,
  summary: text(2000).default(''),
  goals: text(2000).default(''),
  hypothesis: text(2000).default(''),
  eligibility: z.strictObject({ userIds: ids.default([]), orgUnits: z.array(text(100)).max(100).default([]), jobLevels: z.array(text(50)).max(50).default([]) }),
  capacityPerCohort: z.number().int().min(0).max(500),
  cohortCount: z.number().int().min(0).max(100),
  enrolmentOpensAt: z.iso.datetime({ offset: true }),
  enrolmentClosesAt: z.iso.datetime({ offset: true }),
  sessions: z.array(sessionInput).max(50),
  metrics: z.array(text(60).min(1)).max(20).describe("Keys from the organisation's metric catalogue (GET /api/metrics)"),
  primaryMetric: text(60).min(1).nullable().default(null).describe('The metric the verdict rests on; the first metric when null'),
  pulseItems: z.array(z.enum(PULSE_ITEM_KEYS)).max(PULSE_ITEM_KEYS.length).default([...DEFAULT_PULSE_ITEMS]).describe('The team pulse statements (at least three)'),
  comparison: z
    .strictObject({
      mode: z.enum(COMPARISON_MODES),
      userIds: ids.default([]),
      caliperSd: z.number().min(0.05).max(2).default(DEFAULT_CALIPER_SD).describe('Matched mode: the farthest a match may be, in standard deviations of the baseline'),
    })
    .default({ mode: 'all_eligible', userIds: [], caliperSd: DEFAULT_CALIPER_SD })
    .describe('Who participants are compared with: every eligible manager who did not enrol, the people chosen, or one match per participant (same org unit, nearest baseline within the caliper)'),
  requiresLineManagerApproval: z.boolean().default(false),
});

/** `coachedAt`: when the sponsor said they have been coached (null until they do). */
export const sponsorCommitments = z.object({ attendKickoff: z.boolean(), coachedFirst: z.boolean(), coachedAt: z.string().nullable(), reviewResultsBy: z.string().nullable(), ownWords: z.string() });
export const sponsorDecision = z.object({
  decision: z.enum(['approved', 'declined', 'changes_requested']),
  commitments: sponsorCommitments.nullable(),
  reason: z.string(),
  decidedAt: z.string(),
});
export const plannedSession = z.object({ kind: z.enum(SESSION_KINDS), title: z.string(), startsAt: z.string(), durationMinutes: z.number(), timeZone: z.string(), location: z.string() });
export const comparisonRule = z.object({ mode: z.enum(COMPARISON_MODES), userIds: z.array(z.string()), caliperSd: z.number() });
/** `departed`: the directory says they have left since they were asked. */
export const programmeSponsor = z.object({
  userId: z.string(),
  name: z.string(),
  decision: sponsorDecision.nullable(),
  departed: z.boolean(),
  /** They left before deciding, and that sent the programme back to its owner (until it is submitted again). */
  leftBeforeDeciding: z.boolean(),
});

export const programme = z.object({
  id: z.string(),
  title: z.string(),
  kind,
  status: z.enum(PROGRAMME_STATUSES),
  summary: z.string(),
  goals: z.string(),
  hypothesis: z.string(),
  eligibility: z.object({ userIds: z.array(z.string()), orgUnits: z.array(z.string()), jobLevels: z.array(z.string()) }),
  capacityPerCohort: z.number(),
  cohortCount: z.number(),
  requiresLineManagerApproval: z.boolean(),
  enrolmentOpensAt: z.string(),
  enrolmentClosesAt: z.string(),
  sessions: z.array(plannedSession),
  metrics: z.array(z.string()),
  /** The metric the verdict rests on. */
  primaryMetric: z.string().nullable(),
  /** The team pulse's statements. */
  pulseItems: z.array(z.enum(PULSE_ITEM_KEYS)),
  comparison: comparisonRule,
  sponsorRule: z.enum(['any', 'all']),
  sponsors: z.array(programmeSponsor),
  owner: z.object({ userId: z.string(), name: z.string() }),
  submittedAt: z.string().nullable(),
});
export const programmeResponse = z.object({ programme });
export const programmesResponse = z.object({ programmes: z.array(programme) });
/** A commitment and whether it was kept. */
export const commitmentItem = z.object({ key: z.enum(['attend_kickoff', 'coached_first', 'review_results']), label: z.string(), due: z.string().nullable(), status: z.enum(COMMITMENT_STATUSES) });
/** A programme a sponsor decided on, with how they have kept what they promised (empty unless they approved). */
export const decidedProgramme = programme.extend({ followThrough: z.array(commitmentItem) });
export const decidedProgrammeResponse = z.object({ programme: decidedProgramme });
export const sponsorshipsResponse = z.object({ awaiting: z.array(programme), decided: z.array(decidedProgramme) });

/** POST /api/programmes/:id/decision. */
export const decisionBody = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('approve'),
    commitments: z.strictObject({
      attendKickoff: z.boolean(),
      coachedFirst: z.boolean(),
      reviewResultsBy: z.iso.date().nullable().describe('The date the sponsor will review the results'),
      ownWords: text(1000).default(''),
    }),
  }),
  z.strictObject({ decision: z.literal('decline'), reason: text(1000).min(3) }),
  z.strictObject({ decision: z.literal('request_changes'), comment: text(1000).min(3) }),
]);

/** PUT /api/programmes/:id/commitments/coached: the sponsor has been coached (or takes it back). */
export const coachedBody = z.strictObject({ done: z.boolean() });

/** POST /api/programmes/:id/submit: the senior leaders asked, and whether any one or all must approve. */
export const submitBody = z.strictObject({ sponsorIds: z.array(z.string().min(1).max(64)).min(1).max(10), rule: z.enum(['any', 'all']) });
/** POST /api/programmes/:id/transition. */
export const transitionBody = z.strictObject({ action: z.enum(['start', 'complete', 'withdraw']) });
/** PUT /api/programmes/:id/metrics: keys from the metric catalogue. */
export const metricsBody = z.strictObject({ metrics: z.array(z.string().regex(METRIC_KEY)).min(1).max(20) });

export const commitmentsResponse = z.object({
  sponsors: z.array(z.object({ userId: z.string(), name: z.string(), commitments: z.array(commitmentItem) })),
});
export const participation = z.object({ eligible: z.number(), enrolled: z.number(), waitlisted: z.number(), attendedAny: z.number(), completed: z.number() });
export const programmeResultsResponse = z.object({ participation });

export type ProgrammeKind = z.output<typeof kind>;
export type ProgrammeStatus = z.output<typeof programme>['status'];
export type SessionKind = z.output<typeof plannedSession>['kind'];
export type ComparisonMode = z.output<typeof comparisonRule>['mode'];
export type ComparisonRule = z.output<typeof comparisonRule>;
export type PlannedSession = z.output<typeof plannedSession>;
export type SponsorCommitments = z.output<typeof sponsorCommitments>;
export type SponsorDecision = z.output<typeof sponsorDecision>;
export type SponsorDecisionKind = SponsorDecision['decision'];
export type ProgrammeSponsor = z.output<typeof programmeSponsor>;
export type SponsoredProgramme = z.output<typeof programme>;
export type DecidedProgramme = z.output<typeof decidedProgramme>;
export type DecidedProgrammeResponse = z.output<typeof decidedProgrammeResponse>;
export type CommitmentItem = z.output<typeof commitmentItem>;
export type ProgrammeResponse = z.output<typeof programmeResponse>;
export type OwnedProgrammeResponse = ProgrammeResponse;
export type OwnedProgrammesResponse = z.output<typeof programmesResponse>;
export type MySponsorshipsResponse = z.output<typeof sponsorshipsResponse>;
export type ProgrammeDesign = z.input<typeof designBody>;
export type SponsorshipRequest = z.input<typeof decisionBody>;
export type SubmitProgrammeRequest = z.input<typeof submitBody>;
export type ProgrammeAction = z.input<typeof transitionBody>['action'];
export type CommitmentsResponse = z.output<typeof commitmentsResponse>;
export type CommitmentStatus = CommitmentsResponse['sponsors'][number]['commitments'][number]['status'];
export type Participation = z.output<typeof participation>;
export type ProgrammeResultsResponse = z.output<typeof programmeResultsResponse>;
