import { notFound } from '../domain/errors';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { enrolmentView, sessionView, type EnrolmentView, type SessionView } from './my-programmes';

export interface EnrolmentDetail {
  enrolment: EnrolmentView;
  sessions: (SessionView & { sessionId: string })[];
}

/** One of the caller's own enrolments with the sessions booked for it. */
export async function getMyEnrolment(deps: Deps, caller: Caller, enrolmentIdRaw: string): Promise<EnrolmentDetail> {
  const { Enrolment, ParticipantSession, SessionPlan } = deps.models;
  const enrolmentId = objectId(enrolmentIdRaw, 'Enrolment');
  const enrolment = await Enrolment.findOne({ _id: enrolmentId, tenantId: caller.tenantId, userId: caller.userId }).lean();
  if (!enrolment) throw notFound('Enrolment');
  const booked = await ParticipantSession.find({ tenantId: caller.tenantId, enrolmentId, status: 'scheduled' }).lean();
  const plans = booked.length
    ? await SessionPlan.find({ tenantId: caller.tenantId, _id: { $in: booked.map((b) => b.sessionId) } }).sort({ startsAt: 1 }).lean()
    : [];
  return {
    enrolment: await enrolmentView(deps, enrolment),
    sessions: plans.map((p) => {
      const b = booked.find((x) => x.sessionId.equals(p._id))!;
      return { ...sessionView(p), id: String(b._id), sessionId: String(p._id) };
    }),
  };
}
