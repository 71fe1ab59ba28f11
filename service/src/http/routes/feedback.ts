import { z } from 'zod';
import { answerFeedback, myFeedbackRequests, pulseSummary, sessionFeedback } from '../../usecases/answer-feedback';
import { feedbackAnswerBody, feedbackAnswerResponse, myFeedbackResponse, pulseQuery, pulseResponse } from '../contract/measures';
import { sessionFeedbackResponse } from '../contract/sessions';
import { defineRoute, idParam, type RouteDef } from '../route';

/** Feedback: my requests and answering them; pulse aggregates (anonymity-safe); session ratings for coaches. */
export function feedbackRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'feedback.mine',
      method: 'get',
      path: '/api/me/feedback',
      summary: 'My feedback requests (session ratings and anonymous pulses), open ones first',
      tags: ['feedback'],
      responses: {
        200: { description: 'Requests', schema: myFeedbackResponse },
      },
      handler: async ({ deps, caller }) => ({ status: 200, body: { requests: await myFeedbackRequests(deps, caller) } }),
    }),
    defineRoute({
      id: 'feedback.answer',
      method: 'post',
      path: '/api/feedback/:requestId/answer',
      summary: 'Answer a feedback request; the reminders stop',
      tags: ['feedback'],
      params: z.object({ requestId: idParam }),
      body: feedbackAnswerBody,
      responses: { 200: { description: 'Recorded', schema: feedbackAnswerResponse } },
      handler: async ({ deps, caller, params, body }) => {
        await answerFeedback(deps, caller, params.requestId, body);
        return { status: 200, body: { answered: true } };
      },
    }),
    defineRoute({
      id: 'programmes.pulse',
      method: 'get',
      path: '/api/programmes/:programmeId/pulse',
      summary: 'Team pulse by phase; groups below the minimum size are withheld',
      tags: ['impact'],
      params: z.object({ programmeId: idParam }),
      query: pulseQuery,
      responses: {
        200: {
          description: 'Pulse',
          schema: pulseResponse,
        },
      },
      handler: async ({ deps, caller, params, query }) => ({ status: 200, body: await pulseSummary(deps, caller, params.programmeId, query.managerId) }),
    }),
    defineRoute({
      id: 'sessions.feedback',
      method: 'get',
      path: '/api/sessions/:sessionId/feedback',
      summary: "Participants' ratings of a session",
      tags: ['feedback'],
      params: z.object({ sessionId: idParam }),
      responses: { 200: { description: 'Answers', schema: sessionFeedbackResponse } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: { answers: await sessionFeedback(deps, caller, params.sessionId) } }),
    }),
  ];
}
