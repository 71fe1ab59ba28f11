import { z } from 'zod';
import { cancelSession, listSessions, recordAttendance, rescheduleSession, roster } from '../../usecases/sessions';
import { myInvite } from '../../usecases/invite';
import { attendanceBody, attendanceResponse, coachSessionsResponse, rescheduleBody, sessionResponse } from '../contract/sessions';
import { defineRoute, idParam, type RouteDef } from '../route';

const sid = z.object({ sessionId: idParam });

/** Sessions: the coach's list, attendance, and the owner's reschedule and cancel; the manager's .ics invite. */
export function sessionRoutes(organiserEmail: string): RouteDef[] {
  return [
    defineRoute({
      id: 'sessions.list',
      method: 'get',
      path: '/api/sessions',
      summary: 'Sessions from two weeks ago onwards, with attendance counts and rating counts',
      tags: ['sessions'],
      responses: { 200: { description: 'Sessions', schema: coachSessionsResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { sessions: await listSessions(deps, caller) } }),
    }),
    defineRoute({
      id: 'sessions.attendance.get',
      method: 'get',
      path: '/api/sessions/:sessionId/attendance',
      summary: "A session's roster with attendance",
      tags: ['sessions'],
      params: sid,
      responses: { 200: { description: 'Roster', schema: attendanceResponse } },
      handler: async ({ deps, caller, params }) => ({ status: 200, body: await roster(deps, caller, params.sessionId) }),
    }),
    defineRoute({
      id: 'sessions.attendance.put',
      method: 'put',
      path: '/api/sessions/:sessionId/attendance',
      summary: 'Record who attended and who did not show',
      tags: ['sessions'],
      params: sid,
      body: attendanceBody,
      responses: { 200: { description: 'Roster', schema: attendanceResponse } },
      handler: async ({ deps, caller, params, body }) => ({ status: 200, body: await recordAttendance(deps, caller, params.sessionId, body.records) }),
    }),
    defineRoute({
      id: 'sessions.reschedule',
      method: 'put',
      path: '/api/sessions/:sessionId',
      summary: 'Move a session; participants get updated invites',
      tags: ['sessions'],
      params: sid,
      body: rescheduleBody,
      responses: { 200: { description: 'Moved', schema: sessionResponse } },
      handler: async ({ deps, caller, params, body, req }) => ({
        status: 200,
        body: { session: await rescheduleSession(deps, caller, params.sessionId, { ...body, startsAt: new Date(body.startsAt) }, req.id) },
      }),
    }),
    defineRoute({
      id: 'sessions.cancel',
      method: 'post',
      path: '/api/sessions/:sessionId/cancel',
      summary: 'Cancel a session; participants get a cancellation',
      tags: ['sessions'],
      params: sid,
      responses: { 200: { description: 'Cancelled', schema: sessionResponse } },
      handler: async ({ deps, caller, params, req }) => ({ status: 200, body: { session: await cancelSession(deps, caller, params.sessionId, req.id) } }),
    }),
    defineRoute({
      id: 'me.invite',
      method: 'get',
      path: '/api/me/sessions/:sessionId/invite.ics',
      summary: 'An iCalendar (RFC 5545) invite for one of my booked sessions',
      tags: ['enrolment'],
      params: sid,
      responses: { 200: { description: 'text/calendar' } },
      handler: async ({ deps, caller, params, res }) => {
        const { filename, ics } = await myInvite(deps, caller, params.sessionId, organiserEmail);
        res.status(200).type('text/calendar; charset=utf-8').attachment(filename).send(ics);
      },
    }),
  ];
}
