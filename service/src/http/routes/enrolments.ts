import { z } from 'zod';
import { enrol } from '../../usecases/enrol';
import { getMyEnrolment } from '../../usecases/get-enrolment';
import { enrolmentView } from '../../usecases/my-programmes';
import { withdraw } from '../../usecases/withdraw';
import { decideEnrolmentApproval, pendingApprovals } from '../../usecases/approve-enrolment';
import { approvalBody, enrolBody, enrolmentDetailResponse, enrolmentResponse, pendingApprovalsResponse } from '../contract/enrolments';
import { defineRoute, idParam, type RouteDef } from '../route';

export function enrolmentRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'enrolments.create',
      method: 'post',
      path: '/api/programmes/:programmeId/enrolments',
      summary: 'Ask for a seat in a cohort; the decision (confirmed or waitlisted) follows asynchronously',
      tags: ['enrolment'],
      params: z.object({ programmeId: idParam }),
      body: enrolBody,
      responses: {
        202: { description: 'Accepted; poll the enrolment for the decision', schema: enrolmentResponse },
        200: { description: 'An active enrolment already exists; it is returned', schema: enrolmentResponse },
      },
      handler: async ({ deps, caller, params, body }) => {
        const { enrolment, created } = await enrol(deps, caller, { programmeId: params.programmeId, cohortId: body.cohortId });
        return { status: created ? 202 : 200, body: { enrolment: await enrolmentView(deps, enrolment) }, headers: { Location: `/api/enrolments/${String(enrolment._id)}` } };
      },
    }),
    defineRoute({
      id: 'enrolments.get',
      method: 'get',
      path: '/api/enrolments/:enrolmentId',
      summary: "One of the caller's enrolments with its booked sessions",
      tags: ['enrolment'],
      params: z.object({ enrolmentId: idParam }),
      responses: { 200: { description: 'The enrolment', schema: enrolmentDetailResponse } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: await getMyEnrolment(deps, caller, params.enrolmentId) }),
    }),
    defineRoute({
      id: 'enrolments.withdraw',
      method: 'post',
      path: '/api/enrolments/:enrolmentId/withdraw',
      summary: 'Withdraw; a freed seat goes to the first person on the waitlist',
      tags: ['enrolment'],
      params: z.object({ enrolmentId: idParam }),
      responses: { 202: { description: 'Withdrawn', schema: enrolmentResponse } },
      handler: async ({ deps, caller, params }) => {
        const e = await withdraw(deps, caller, params.enrolmentId);
        return { status: 202, body: { enrolment: await enrolmentView(deps, e) } };
      },
    }),
    defineRoute({
      id: 'enrolments.approval',
      method: 'post',
      path: '/api/enrolments/:enrolmentId/approval',
      summary: "The line manager approves or declines a report's enrolment (programmes that ask for it)",
      tags: ['enrolment'],
      params: z.object({ enrolmentId: idParam }),
      body: approvalBody,
      responses: { 200: { description: 'Decided', schema: enrolmentResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({ status: 200, body: { enrolment: await enrolmentView(deps, await decideEnrolmentApproval(deps, caller, params.enrolmentId, body.approve, body.comment, req.id)) } }),
    }),
    defineRoute({
      id: 'approvals.mine',
      method: 'get',
      path: '/api/me/approvals',
      summary: "My reports' enrolments waiting for my approval",
      tags: ['enrolment'],
      responses: { 200: { description: 'Pending approvals', schema: pendingApprovalsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { approvals: await pendingApprovals(deps, caller) } }),
    }),
  ];
}
