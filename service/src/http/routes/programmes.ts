import { z } from 'zod';
import { DEFAULT_PULSE_ITEMS, PULSE_ITEM_KEYS } from '../../domain/coaching-scale';
import { COMMITMENT_STATUSES } from '../../domain/commitments';
import { COMPARISON_MODES, DEFAULT_CALIPER_SD, PROGRAMME_STATUSES, SESSION_KINDS } from '../../domain/programme';
import { createProgramme, updateProgramme } from '../../usecases/design-programme';
import { getProgramme, listMySponsorships, listProgrammes, listSponsors, programmeDetail } from '../../usecases/programme-views';
import { decideSponsorship, openEnrolment, submitForSponsorship } from '../../usecases/sponsorship';
import { cohortView } from '../../usecases/cohort-view';
import { sponsorCommitments } from '../../usecases/commitments';
import { expandToRollout, transitionProgramme } from '../../usecases/programme-lifecycle';
import { programmeResults } from '../../usecases/results';
import { defineRoute, idParam, type RouteDef } from '../route';

const text = (max: number) => z.string().trim().max(max);
const ids = z.array(z.string().min(1).max(64)).max(500);

const designBody = z.strictObject({
  title: text(200).min(3),
  kind: z.enum(['pilot', 'rollout']),
  summary: text(2000).default(''),
  goals: text(2000).default(''),
  hypothesis: text(2000).default(''),
  eligibility: z.strictObject({ userIds: ids.default([]), orgUnits: z.array(text(100)).max(100).default([]), jobLevels: z.array(text(50)).max(50).default([]) }),
  capacityPerCohort: z.number().int().min(0).max(500),
  cohortCount: z.number().int().min(0).max(100),
  enrolmentOpensAt: z.iso.datetime({ offset: true }),
  enrolmentClosesAt: z.iso.datetime({ offset: true }),
  sessions: z
    .array(
      z.strictObject({
        kind: z.enum(SESSION_KINDS),
        title: text(200).min(1),
        startsAt: z.iso.datetime({ offset: true }).describe('The start instant (ISO 8601 with offset)'),
        durationMinutes: z.number().int().min(1).max(24 * 60),
        timeZone: text(64).min(1).describe('IANA time zone of the organiser, e.g. Europe/London'),
        location: text(300).default(''),
      }),
    )
    .max(50),
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
type DesignBody = z.output<typeof designBody>;

const toDesign = (b: DesignBody) => ({
  ...b,
  enrolmentOpensAt: new Date(b.enrolmentOpensAt),
  enrolmentClosesAt: new Date(b.enrolmentClosesAt),
  sessions: b.sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt) })),
});

const decisionSchema = z.object({
  decision: z.enum(['approved', 'declined', 'changes_requested']),
  commitments: z.object({ attendKickoff: z.boolean(), coachedFirst: z.boolean(), reviewResultsBy: z.string().nullable(), ownWords: z.string() }).nullable(),
  reason: z.string(),
  decidedAt: z.string(),
});
const programmeSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
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
  sessions: z.array(z.object({ kind: z.string(), title: z.string(), startsAt: z.string(), durationMinutes: z.number(), timeZone: z.string(), location: z.string() })),
  metrics: z.array(z.string()),
  primaryMetric: z.string().nullable(),
  pulseItems: z.array(z.enum(PULSE_ITEM_KEYS)),
  comparison: z.object({ mode: z.enum(COMPARISON_MODES), userIds: z.array(z.string()), caliperSd: z.number() }),
  sponsorRule: z.enum(['any', 'all']),
  sponsors: z.array(z.object({ userId: z.string(), name: z.string(), decision: decisionSchema.nullable() })),
  owner: z.object({ userId: z.string(), name: z.string() }),
  submittedAt: z.string().nullable(),
});
const one = z.object({ programme: programmeSchema });
const pid = z.object({ programmeId: idParam });

const decisionBody = z.discriminatedUnion('decision', [
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

/** Programme design (owner) and sponsorship (senior leader). */
export function programmeRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'programmes.list',
      method: 'get',
      path: '/api/programmes',
      summary: "The organisation's programmes with their status",
      tags: ['programmes'],
      responses: { 200: { description: 'Programmes', schema: z.object({ programmes: z.array(programmeSchema) }) } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { programmes: await listProgrammes(deps, caller) } }),
    }),
    defineRoute({
      id: 'programmes.create',
      method: 'post',
      path: '/api/programmes',
      summary: 'Start a programme design (a draft)',
      tags: ['programmes'],
      body: designBody,
      responses: { 201: { description: 'Created', schema: one } },
      handler: async ({ deps, caller, body, req }) => {
        const p = await createProgramme(deps, caller, toDesign(body), req.id);
        return { status: 201, body: { programme: await programmeDetail(deps, caller.tenantId, p) }, headers: { Location: `/api/programmes/${String(p._id)}` } };
      },
    }),
    defineRoute({
      id: 'programmes.get',
      method: 'get',
      path: '/api/programmes/:programmeId',
      summary: 'One programme with its design and sponsors',
      tags: ['programmes'],
      params: pid,
      responses: { 200: { description: 'The programme', schema: one } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: { programme: await getProgramme(deps, caller, params.programmeId) } }),
    }),
    defineRoute({
      id: 'programmes.update',
      method: 'put',
      path: '/api/programmes/:programmeId',
      summary: 'Edit a draft, or a programme sent back for changes',
      tags: ['programmes'],
      params: pid,
      body: designBody,
      responses: { 200: { description: 'Updated', schema: one } },
      handler: async ({ deps, caller, params, body }) => ({ status: 200, body: { programme: await programmeDetail(deps, caller.tenantId, await updateProgramme(deps, caller, params.programmeId, toDesign(body))) } }),
    }),
    defineRoute({
      id: 'programmes.submit',
      method: 'post',
      path: '/api/programmes/:programmeId/submit',
      summary: 'Ask named senior leaders to sponsor it (any one of them, or all)',
      tags: ['programmes'],
      params: pid,
      body: z.strictObject({ sponsorIds: z.array(z.string().min(1).max(64)).min(1).max(10), rule: z.enum(['any', 'all']) }),
      responses: { 200: { description: 'Proposed', schema: one } },
      handler: async ({ deps, caller, params, body, req }) => ({
        status: 200,
        body: { programme: await programmeDetail(deps, caller.tenantId, await submitForSponsorship(deps, caller, params.programmeId, body.sponsorIds, body.rule, req.id)) },
      }),
    }),
    defineRoute({
      id: 'programmes.open_enrolment',
      method: 'post',
      path: '/api/programmes/:programmeId/open-enrolment',
      summary: 'Open a sponsored programme for enrolment; eligible managers are invited',
      tags: ['programmes'],
      params: pid,
      responses: { 200: { description: 'Enrolling', schema: one } },
      handler: async ({ deps, caller, params, req }) => ({ status: 200, body: { programme: await programmeDetail(deps, caller.tenantId, await openEnrolment(deps, caller, params.programmeId, req.id)) } }),
    }),
    defineRoute({
      id: 'programmes.decide',
      method: 'post',
      path: '/api/programmes/:programmeId/sponsorship',
      summary: 'A sponsor approves with commitments, declines with a reason, or asks for changes',
      tags: ['sponsorship'],
      params: pid,
      body: decisionBody,
      responses: { 200: { description: 'Decided', schema: one } },
      handler: async ({ deps, caller, params, body, req }) => {
        const decision =
          body.decision === 'approve'
            ? { decision: 'approved' as const, commitments: { ...body.commitments, reviewResultsBy: body.commitments.reviewResultsBy ? new Date(body.commitments.reviewResultsBy) : null }, reason: '' }
            : body.decision === 'decline'
              ? { decision: 'declined' as const, commitments: null, reason: body.reason }
              : { decision: 'changes_requested' as const, commitments: null, reason: body.comment };
        const p = await decideSponsorship(deps, caller, params.programmeId, decision, req.id);
        return { status: 200, body: { programme: await programmeDetail(deps, caller.tenantId, p) } };
      },
    }),
    defineRoute({
      id: 'programmes.transition',
      method: 'post',
      path: '/api/programmes/:programmeId/transition',
      summary: 'Start, complete or withdraw a programme',
      tags: ['programmes'],
      params: pid,
      body: z.strictObject({ action: z.enum(['start', 'complete', 'withdraw']) }),
      responses: { 200: { description: 'Moved', schema: one } },
      handler: async ({ deps, caller, params, body, req }) => ({
        status: 200,
        body: { programme: await programmeDetail(deps, caller.tenantId, await transitionProgramme(deps, caller, params.programmeId, body.action, req.id)) },
      }),
    }),
    defineRoute({
      id: 'programmes.expand',
      method: 'post',
      path: '/api/programmes/:programmeId/expand',
      summary: 'Expand a completed pilot into a rollout (a new draft linked to the pilot)',
      tags: ['programmes'],
      params: pid,
      responses: { 201: { description: 'The rollout draft', schema: one } },
      handler: async ({ deps, caller, params, req }) => {
        const p = await expandToRollout(deps, caller, params.programmeId, req.id);
        return { status: 201, body: { programme: await programmeDetail(deps, caller.tenantId, p) }, headers: { Location: `/api/programmes/${String(p._id)}` } };
      },
    }),
    defineRoute({
      id: 'programmes.cohorts',
      method: 'get',
      path: '/api/programmes/:programmeId/cohorts',
      summary: 'Cohorts with who is enrolled, the waitlist in order, and sessions with attendance',
      tags: ['programmes'],
      params: pid,
      responses: { 200: { description: 'Cohorts' } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: { cohorts: await cohortView(deps, caller, params.programmeId) } }),
    }),
    defineRoute({
      id: 'programmes.commitments',
      method: 'get',
      path: '/api/programmes/:programmeId/commitments',
      summary: "Sponsors' commitments and whether each was kept",
      tags: ['sponsorship'],
      params: pid,
      responses: {
        200: {
          description: 'Commitments',
          schema: z.object({ sponsors: z.array(z.object({ userId: z.string(), name: z.string(), commitments: z.array(z.object({ key: z.string(), label: z.string(), due: z.string().nullable(), status: z.enum(COMMITMENT_STATUSES) })) })) }),
        },
      },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: { sponsors: await sponsorCommitments(deps, caller, params.programmeId) } }),
    }),
    defineRoute({
      id: 'programmes.results',
      method: 'get',
      path: '/api/programmes/:programmeId/results',
      summary: "A programme's results (participation so far); opening it counts as a sponsor reviewing them",
      tags: ['impact'],
      params: pid,
      responses: { 200: { description: 'Results', schema: z.object({ participation: z.object({ eligible: z.number(), enrolled: z.number(), waitlisted: z.number(), attendedAny: z.number(), completed: z.number() }) }) } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: await programmeResults(deps, caller, params.programmeId) }),
    }),
    defineRoute({
      id: 'sponsorships.list',
      method: 'get',
      path: '/api/me/sponsorships',
      summary: "A sponsor's requests awaiting a decision, and the programmes they decided on",
      tags: ['sponsorship'],
      responses: { 200: { description: 'Sponsorships', schema: z.object({ awaiting: z.array(programmeSchema), decided: z.array(programmeSchema) }) } },
      handler: async ({ deps, caller }) => ({ status: 200, body: await listMySponsorships(deps, caller) }),
    }),
    defineRoute({
      id: 'directory.sponsors',
      method: 'get',
      path: '/api/directory/sponsors',
      summary: 'Senior leaders who can be asked to sponsor',
      tags: ['programmes'],
      responses: { 200: { description: 'Sponsors', schema: z.object({ sponsors: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string() })) }) } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { sponsors: await listSponsors(deps, caller) } }),
    }),
  ];
}
