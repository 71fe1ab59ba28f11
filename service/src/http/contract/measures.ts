/**
 * What the impact, metric and pulse routes send, as JSON. One source: the routes document and (in
 * tests) check their responses with these schemas, and the tab takes its types from them
 * (type-only imports), so the two cannot drift. Pure: zod and domain constants only, so the tab's
 * compiler can read this file too.
 */
import { z } from 'zod';
import { PULSE_ITEM_KEYS } from '../../domain/coaching-scale';
import { METRIC_KEY } from '../../domain/metrics';
import { COMPARISON_MODES } from '../../domain/programme';
import { FEEDBACK_STATUSES } from '../../domain/reminders';
import { importReportBase } from './common';

const interval = z.tuple([z.number(), z.number()]);
const direction = z.enum(['higher_is_better', 'lower_is_better']);
const phase = z.enum(['baseline', 'post']);

export const suppressedFigure = z.object({ suppressed: z.literal(true), reason: z.enum(['below_min_group_size', 'not_collected', 'differencing']) });
export const impactGroup = z.object({
  suppressed: z.literal(false),
  n: z.number(),
  before: z.number(),
  after: z.number(),
  change: z.object({ n: z.number(), meanChange: z.number(), sd: z.number(), se: z.number(), df: z.number(), ci95: interval }),
});
export const impactDid = z.object({ suppressed: z.literal(false), estimate: z.number(), se: z.number(), df: z.number(), ci95: interval, n: z.object({ treated: z.number(), comparison: z.number() }) });
export const impactAttrition = z.object({
  total: z.number(),
  analysed: z.number(),
  missingBaseline: z.number(),
  missingFollowUp: z.number(),
  noMatch: z.number(),
  outsideCaliper: z.number(),
  notChosen: z.number(),
});

export const impactAnalysis = z.object({
  metric: z.string(),
  label: z.string(),
  unit: z.string(),
  direction,
  range: z.object({ min: z.number().nullable(), max: z.number().nullable() }),
  /** Imported outcome data, or the programme's own team pulse. */
  source: z.enum(['imported', 'team_pulse']),
  minGroupSize: z.number(),
  treated: z.union([impactGroup, suppressedFigure]),
  comparison: z.union([impactGroup, suppressedFigure]),
  did: z.union([impactDid, suppressedFigure]),
  verdict: z.enum(['improved', 'worsened', 'no_detectable_effect', 'insufficient_data', 'insufficient_variation']),
  basis: z.enum(['difference_in_differences', 'before_after']),
  pValue: z.number().nullable(),
  /** Secondary metrics: the p-value after Holm's adjustment across them. */
  adjustedP: z.number().nullable(),
  primary: z.boolean(),
  /** With no detectable effect: the smallest effect this design could have detected (80% power). */
  mde80: z.number().nullable(),
  /** The same estimate allowing for colleagues in one org unit moving together, where enough units took part. */
  clustered: z.object({ estimate: z.number(), se: z.number(), df: z.number(), ci95: interval, clusters: z.number() }).nullable(),
  matching: z.object({ matched: z.number(), unmatched: z.number(), outsideCaliper: z.number(), caliper: z.number() }).nullable(),
  attrition: z.object({ treated: impactAttrition, comparison: impactAttrition.nullable() }),
});

const pulseStatement = z.object({ key: z.enum(PULSE_ITEM_KEYS), statement: z.string() });

export const impactResponse = z.object({
  locked: z.object({ at: z.string().nullable(), metrics: z.array(z.string()), primaryMetric: z.string().nullable(), baselinePeriod: z.string(), followUpPeriod: z.string() }),
  metricChanges: z.array(z.object({ at: z.string(), by: z.string(), from: z.array(z.string()), to: z.array(z.string()) })),
  /** `fixedAt`: when the programme's start fixed who is compared (null before it started, or for a programme started before groups were fixed: then the directory's of today). */
  comparison: z.object({ mode: z.enum(COMPARISON_MODES), rule: z.string(), caliperSd: z.number().nullable(), fixedAt: z.string().nullable() }),
  analyses: z.array(impactAnalysis),
  /** The pulse scale when a pulse metric is judged: its statements, alpha per phase once enough answered, phases still collecting. */
  scale: z.object({ items: z.array(pulseStatement), alpha: z.array(z.object({ phase, n: z.number(), value: z.number().nullable() })), alphaMinResponses: z.number(), collecting: z.array(phase) }).nullable(),
  assumptions: z.array(z.string()),
  expandedFrom: z.string().nullable(),
});

export const catalogueMetric = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  direction,
  source: z.enum(['imported', 'in_app']),
  min: z.number().nullable(),
  max: z.number().nullable(),
  builtIn: z.boolean(),
  /** Stays on programmes that chose it, but cannot be chosen again. */
  archived: z.boolean(),
});
export const catalogueMetricsResponse = z.object({
  metrics: z.array(catalogueMetric),
  /** The team pulse's statements a programme owner chooses from. */
  pulseItems: z.array(pulseStatement.extend({ construct: z.string() })),
  defaultPulseItems: z.array(z.enum(PULSE_ITEM_KEYS)),
});
export const catalogueMetricResponse = z.object({ metric: catalogueMetric });

const text = (max: number) => z.string().trim().max(max);
/** POST /api/admin/metrics. */
export const newMetricBody = z.strictObject({
  key: z.string().regex(METRIC_KEY, 'lower case letters, digits and _, starting with a letter (2–40 characters)').describe('What outcome files carry in their metric column'),
  label: text(80).min(2),
  unit: text(20).default(''),
  direction,
  min: z.number().finite().nullable().default(null),
  max: z.number().finite().nullable().default(null),
});
/** PATCH /api/admin/metrics/:key: what may change (not the key or the direction). */
export const metricChangeBody = z.strictObject({ label: text(80).min(2).optional(), unit: text(20).optional(), archived: z.boolean().optional() }).refine((b) => Object.keys(b).length > 0, 'change at least one field');

const score = z.number().int().min(1).max(5);
/** POST /api/feedback/:requestId/answer. */
export const feedbackAnswerBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session_feedback'), rating: score, tryNext: text(1000).default(''), comment: text(2000).default('') }),
  z.strictObject({ kind: z.literal('pulse'), scores: z.partialRecord(z.enum(PULSE_ITEM_KEYS), score).describe('1–5 for every statement the request lists, by its key') }),
]);

export const feedbackAnswerResponse = z.object({ answered: z.literal(true) });

/** GET /api/programmes/:id/pulse: one manager's team (an owner or coach may ask), or all. */
export const pulseQuery = z.strictObject({ managerId: z.string().min(1).max(64).optional() });

export const pulsePhase = z.object({
  phase,
  n: z.number(),
  suppressed: z.boolean(),
  /** Still collecting: figures appear only once the phase closes. */
  open: z.boolean(),
  means: z.array(pulseStatement.extend({ mean: z.number() })).nullable(),
  scale: z.number().nullable(),
});
export const pulseResponse = z.object({
  minGroupSize: z.number(),
  phases: z.array(pulsePhase),
  /** When the post pulse goes out, while it waits (from the programme's completion); null otherwise. */
  postPulseDueAt: z.string().nullable(),
});

export const feedbackRequest = z.object({
  id: z.string(),
  kind: z.enum(['session_feedback', 'pulse']),
  /** In English ("How does Alex work with you?"), for API clients; the tab words it from `about`. */
  title: z.string(),
  /** Whom a pulse asks about (the manager's name) or the session rated (its title); null where unknown. */
  about: z.string().nullable(),
  programmeTitle: z.string(),
  sentAt: z.string(),
  status: z.enum(FEEDBACK_STATUSES),
  /** A pulse's statements, in the order asked; empty for session feedback. */
  statements: z.array(pulseStatement),
  /** A pulse's promise: answers about a manager are shown only for groups of at least this many (the organisation's setting); null for session feedback. */
  minGroupSize: z.number().nullable(),
});
export const myFeedbackResponse = z.object({ requests: z.array(feedbackRequest) });

/** POST /api/outcomes/import?mode=: what an outcome file check (`preview`) or import (`commit`) found. */
export const outcomeImportReport = importReportBase.extend({ inserted: z.number(), updated: z.number(), unchanged: z.number() });

export type NewCatalogueMetric = z.input<typeof newMetricBody>;
export type CatalogueMetricChange = z.input<typeof metricChangeBody>;
export type FeedbackAnswer = z.input<typeof feedbackAnswerBody>;
export type FeedbackAnswerResponse = z.output<typeof feedbackAnswerResponse>;
export type FeedbackRequest = z.output<typeof feedbackRequest>;
export type FeedbackKind = FeedbackRequest['kind'];
export type FeedbackStatus = FeedbackRequest['status'];
export type MyFeedbackResponse = z.output<typeof myFeedbackResponse>;
export type SuppressedFigure = z.output<typeof suppressedFigure>;
export type ImpactGroup = z.output<typeof impactGroup>;
export type ImpactDid = z.output<typeof impactDid>;
export type ImpactAttrition = z.output<typeof impactAttrition>;
export type ImpactAnalysis = z.output<typeof impactAnalysis>;
export type ImpactVerdict = ImpactAnalysis['verdict'];
export type ImpactResponse = z.output<typeof impactResponse>;
export type MetricChange = ImpactResponse['metricChanges'][number];
export type CatalogueMetric = z.output<typeof catalogueMetric>;
export type CatalogueMetricsResponse = z.output<typeof catalogueMetricsResponse>;
export type CatalogueMetricResponse = z.output<typeof catalogueMetricResponse>;
export type PulseStatement = z.output<typeof pulseStatement>;
export type PulseItemKey = PulseStatement['key'];
export type PulsePhase = z.output<typeof pulsePhase>;
export type PulseMean = NonNullable<PulsePhase['means']>[number];
export type PulseResultsResponse = z.output<typeof pulseResponse>;
export type OutcomeImportReport = z.output<typeof outcomeImportReport>;
