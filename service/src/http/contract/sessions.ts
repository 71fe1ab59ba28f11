/**
 * What the session routes accept and send, as JSON: the coach's list, attendance, the owner's
 * cohorts, reschedule and cancel, and participants' answers about a session. Validated and
 * documented by the routes (responses checked in tests), and the tab's types. Pure: zod.
 */
import { z } from 'zod';
import { sessionSchema } from './enrolments';

export const attendanceCounts = z.object({ attended: z.number(), noShow: z.number(), unrecorded: z.number() });

/** A planned session with its programme, cohort, state and attendance. */
export const sessionSummary = sessionSchema.extend({
  programmeId: z.string(),
  programmeTitle: z.string(),
  cohortName: z.string(),
  cancelled: z.boolean(),
  /** The invite's SEQUENCE: each move or cancellation adds one. */
  sequence: z.number(),
  attendance: attendanceCounts,
});
export const sessionResponse = z.object({ session: sessionSummary });

/** How many participants rated a session, and their mean rating (null before the first answer). */
export const sessionRatings = z.object({ count: z.number(), average: z.number().nullable() });
/** GET /api/sessions: from two weeks ago onwards. */
export const coachSessionsResponse = z.object({ sessions: z.array(sessionSummary.extend({ ratings: sessionRatings })) });

export const attendanceMark = z.enum(['attended', 'no_show']);
export const rosterEntry = z.object({ userId: z.string(), name: z.string(), role: z.enum(['participant', 'sponsor']), attendance: attendanceMark.nullable() });
/** GET and PUT /api/sessions/:sessionId/attendance. */
export const attendanceResponse = z.object({ session: sessionSummary, roster: z.array(rosterEntry) });
export const attendanceBody = z.strictObject({ records: z.array(z.strictObject({ userId: z.string().min(1).max(64), attendance: attendanceMark })).min(1).max(500) });

/** PUT /api/sessions/:sessionId: the new start (ISO 8601 with offset), length and place. */
export const rescheduleBody = z.strictObject({ startsAt: z.iso.datetime({ offset: true }), durationMinutes: z.number().int().min(5).max(480), location: z.string().trim().max(300) });

const person = z.object({ enrolmentId: z.string(), userId: z.string(), name: z.string() });
/** GET /api/programmes/:programmeId/cohorts: who is in, who waits (in order), and each session's attendance. */
export const cohortsResponse = z.object({
  cohorts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      capacity: z.number(),
      seatsTaken: z.number(),
      confirmed: z.array(person),
      waitlist: z.array(person.extend({ position: z.number() })),
      sessions: z.array(sessionSummary),
    }),
  ),
});

/** One participant's answer about a session. Not anonymous: the coach reads who said what. */
export const sessionFeedbackAnswer = z.object({ name: z.string(), rating: z.number(), tryNext: z.string(), comment: z.string() });
/** GET /api/sessions/:sessionId/feedback: the answers in the order they were given. */
export const sessionFeedbackResponse = z.object({ answers: z.array(sessionFeedbackAnswer) });

export type AttendanceCounts = z.output<typeof attendanceCounts>;
export type SessionSummary = z.output<typeof sessionSummary>;
export type SessionResponse = z.output<typeof sessionResponse>;
export type SessionRatings = z.output<typeof sessionRatings>;
export type CoachSessionsResponse = z.output<typeof coachSessionsResponse>;
/** A session on the coach's list. */
export type CoachSession = CoachSessionsResponse['sessions'][number];
export type AttendanceMark = z.output<typeof attendanceMark>;
export type RosterEntry = z.output<typeof rosterEntry>;
export type AttendanceResponse = z.output<typeof attendanceResponse>;
export type AttendanceRecords = z.input<typeof attendanceBody>['records'];
export type RescheduleRequest = z.input<typeof rescheduleBody>;
export type CohortsResponse = z.output<typeof cohortsResponse>;
export type CohortDetail = CohortsResponse['cohorts'][number];
export type SessionFeedbackAnswer = z.output<typeof sessionFeedbackAnswer>;
export type SessionFeedbackResponse = z.output<typeof sessionFeedbackResponse>;
