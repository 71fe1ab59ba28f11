import { z } from 'zod';
import { createProgramme, updateProgramme } from '../../usecases/design-programme';
import { getProgramme, listProgrammes, listSponsors, programmeDetail } from '../../usecases/programme-views';
import { decideSponsorship, openEnrolment, submitForSponsorship } from '../../usecases/sponsorship';
import { cohortView } from '../../usecases/cohort-view';
import { declareCoached, mySponsorships, sponsorCommitments } from '../../usecases/commitments';
import { expandToRollout, transitionProgramme } from '../../usecases/programme-lifecycle';
import { programmeResults } from '../../usecases/results';
import { coachedBody, commitmentsResponse, decisionBody, designBody, programmeResponse, programmeResultsResponse, programmesResponse, sessionCheckBody, sessionCheckResponse, decidedProgrammeResponse, sponsorshipsResponse, submitBody, transitionBody } from '../contract/programmes';
import { checkSessionDates } from '../../usecases/session-calendar';
import { directorySponsorsResponse } from '../contract/directory';
import { cohortsResponse } from '../contract/sessions';
import { defineRoute, idParam, type RouteDef } from '../route';

type DesignBody = z.output<typeof designBody>;

const toDesign = (b: DesignBody) => ({
  ...b,
  enrolmentOpensAt: new Date(b.enrolmentOpensAt),
  enrolmentClosesAt: new Date(b.enrolmentClosesAt),
  sessions: b.sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt) })),
});

const one = programmeResponse;
const pid = z.object({ programmeId: idParam });

/** Programme design (owner) and sponsorship (senior leader); `postPulseDelayMs`: how long after completion the post pulse goes out. */
export function programmeRoutes(postPulseDelayMs: number): RouteDef[] {
  return [
    defineRoute({
      id: 'programmes.list',
      method: 'get',
      path: '/api/programmes',
      summary: "The organisation's programmes with their status",
      tags: ['programmes'],
      responses: { 200: { description: 'Programmes', schema: programmesResponse } },
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
      id: 'programmes.check_sessions',
      method: 'post',
      path: '/api/programmes/session-check',
      summary: "Warnings for planned sessions: on the organisation's weekend, a public holiday where they are held, or outside the working day",
      tags: ['programmes'],
      body: sessionCheckBody,
      responses: { 200: { description: 'Warnings (none is fine)', schema: sessionCheckResponse } },
      handler: async ({ deps, caller, body }) => ({
        status: 200,
        body: { warnings: await checkSessionDates(deps, caller, body.sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt) }))) },
      }),
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
      body: submitBody,
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
      body: transitionBody,
      responses: { 200: { description: 'Moved', schema: one } },
      handler: async ({ deps, caller, params, body, req }) => ({
        status: 200,
        body: { programme: await programmeDetail(deps, caller.tenantId, await transitionProgramme(deps, caller, params.programmeId, body.action, req.id, postPulseDelayMs)) },
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
      responses: { 200: { description: 'Cohorts', schema: cohortsResponse } },
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
          schema: commitmentsResponse,
        },
      },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: { sponsors: await sponsorCommitments(deps, caller, params.programmeId) } }),
    }),
    defineRoute({
      id: 'programmes.coached',
      method: 'put',
      path: '/api/programmes/:programmeId/commitments/coached',
      summary: 'A sponsor who promised to be coached first says they have been (or takes it back)',
      tags: ['sponsorship'],
      params: pid,
      body: coachedBody,
      responses: { 200: { description: 'Recorded: the programme as the sponsor\'s home shows it', schema: decidedProgrammeResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 200, body: { programme: await declareCoached(deps, caller, params.programmeId, body.done, req.id) } }),
    }),
    defineRoute({
      id: 'programmes.results',
      method: 'get',
      path: '/api/programmes/:programmeId/results',
      summary: "A programme's results (participation so far); opening it counts as a sponsor reviewing them",
      tags: ['impact'],
      params: pid,
      responses: { 200: { description: 'Results', schema: programmeResultsResponse } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: await programmeResults(deps, caller, params.programmeId) }),
    }),
    defineRoute({
      id: 'sponsorships.list',
      method: 'get',
      path: '/api/me/sponsorships',
      summary: "A sponsor's requests awaiting a decision, and the programmes they decided on",
      tags: ['sponsorship'],
      responses: { 200: { description: 'Sponsorships', schema: sponsorshipsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: await mySponsorships(deps, caller) }),
    }),
    defineRoute({
      id: 'directory.sponsors',
      method: 'get',
      path: '/api/directory/sponsors',
      summary: 'Senior leaders who can be asked to sponsor',
      tags: ['programmes'],
      responses: { 200: { description: 'Sponsors', schema: directorySponsorsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { sponsors: await listSponsors(deps, caller) } }),
    }),
  ];
}
