import { randomUUID } from 'node:crypto';
import { answerProblems, PULSE_ITEMS, pulseItemsOf, scaleScore, scoresOf, type PulseItemKey } from '../domain/coaching-scale';
import { DomainError, notFound } from '../domain/errors';
import { clampMinGroupSize, suppress } from '../domain/impact';
import type { Caller, Deps } from './deps';
import { namesOf, UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import { visibleProgrammes } from './programme-views';

export type Answer =
  | { kind: 'session_feedback'; rating: number; tryNext: string; comment: string }
  | { kind: 'pulse'; scores: Partial<Record<PulseItemKey, number>> };

/**
 * The recipient answers; the ladder stops because the request is no longer open. A pulse answer
 * is stored without the respondent: only the day, the programme, the rated manager and the phase.
 */
export async function answerFeedback(deps: Deps, caller: Caller, requestIdRaw: string, answer: Answer): Promise<void> {
  const { FeedbackRequest, SessionFeedback, PulseResponse } = deps.models;
  const _id = objectId(requestIdRaw, 'Feedback request');
  const request = await FeedbackRequest.findOne({ _id, tenantId: caller.tenantId, recipientId: caller.userId }).lean();
  if (!request) throw notFound('Feedback request');
  if (request.kind !== answer.kind) throw new DomainError('invalid', `This request asks for ${request.kind.replace('_', ' ')}.`, 'wrong_answer_kind');
  if (answer.kind === 'pulse') {
    const programme = await deps.models.Programme.findOne({ _id: request.programmeId, tenantId: caller.tenantId }, { pulseItems: 1, locked: 1 }).lean();
    const problem = answerProblems(answer.scores, pulseItemsOf(programme ?? {}));
    if (problem) throw new DomainError('invalid', problem, 'pulse_answer_invalid', [{ path: 'body.scores', message: problem }]);
  }
  const day = deps.now().toISOString().slice(0, 10);
  const claimed = await FeedbackRequest.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, recipientId: caller.userId, status: 'open' },
    // For a pulse only the day is kept, so the time of answering cannot be matched to a response.
    { $set: { status: 'answered', answeredAt: request.kind === 'pulse' ? new Date(`${day}T00:00:00Z`) : deps.now() } },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) throw new DomainError('conflict', request.status === 'answered' ? 'You have already answered, thank you.' : 'This request is closed.', 'feedback_not_open');
  try {
    if (answer.kind === 'session_feedback') {
      await SessionFeedback.create({ tenantId: caller.tenantId, requestId: _id, sessionId: request.sessionId!, programmeId: request.programmeId, userId: caller.userId, rating: answer.rating, tryNext: answer.tryNext, comment: answer.comment });
    } else {
      await PulseResponse.create({ _id: randomUUID(), tenantId: caller.tenantId, programmeId: request.programmeId, managerId: request.managerId!, phase: request.phase!, scores: answer.scores, day });
    }
  } catch (err) {
    await FeedbackRequest.updateOne({ _id, tenantId: caller.tenantId, status: 'answered' }, { $set: { status: 'open', answeredAt: null } });
    throw err;
  }
}

export interface OpenRequest {
  id: string;
  kind: 'session_feedback' | 'pulse';
  /** In English, for API clients; the tab words it from `about` in the reader's language. */
  title: string;
  /** Whom a pulse asks about (the manager's name) or the session rated (its title); null where unknown. */
  about: string | null;
  programmeTitle: string;
  sentAt: Date;
  status: string;
  /** A pulse's statements, in order; empty for session feedback. */
  statements: { key: PulseItemKey; statement: string }[];
  /** The organisation's minimum group size, which a pulse's anonymity rests on; null for session feedback. */
  minGroupSize: number | null;
}

/** The caller's feedback requests, open ones first. */
export async function myFeedbackRequests(deps: Deps, caller: Caller): Promise<OpenRequest[]> {
  const { FeedbackRequest, SessionPlan, Programme } = deps.models;
  const requests = await FeedbackRequest.find({ tenantId: caller.tenantId, recipientId: caller.userId, sentAt: { $lte: deps.now() } }).sort({ sentAt: -1 }).limit(50).lean();
  const [sessions, programmes, managers, tenant] = await Promise.all([
    SessionPlan.find({ tenantId: caller.tenantId, _id: { $in: requests.flatMap((r) => (r.sessionId ? [r.sessionId] : [])) } }, { title: 1 }).lean(),
    Programme.find({ tenantId: caller.tenantId, _id: { $in: requests.map((r) => r.programmeId) } }, { title: 1, pulseItems: 1, locked: 1 }).lean(),
    namesOf(deps, caller.tenantId, requests.flatMap((r) => (r.managerId && !r.managerName ? [r.managerId] : []))),
    deps.models.Tenant.findOne({ tenantId: caller.tenantId }, { minGroupSize: 1 }).lean(),
  ]);
  const minGroupSize = clampMinGroupSize(tenant?.minGroupSize ?? 5);
  return requests
    .map((r) => {
      const programme = programmes.find((p) => p._id.equals(r.programmeId));
      const about = (r.kind === 'pulse' ? (r.managerName ?? managers.get(r.managerId ?? '')) : sessions.find((s) => r.sessionId && s._id.equals(r.sessionId))?.title) ?? null;
      return {
      id: String(r._id),
      kind: r.kind as OpenRequest['kind'],
      title: r.kind === 'pulse' ? `How does ${about ?? 'your manager'} work with you?` : `Rate "${about ?? 'your session'}"`,
      about,
      programmeTitle: programme?.title ?? '',
      sentAt: r.sentAt,
      status: r.status,
      statements: r.kind === 'pulse' ? pulseItemsOf(programme ?? {}).map((key) => ({ key, statement: PULSE_ITEMS[key].statement })) : [],
      minGroupSize: r.kind === 'pulse' ? minGroupSize : null,
      };
    })
    .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'));
}

export interface PulseSummary {
  phase: 'baseline' | 'post';
  n: number;
  suppressed: boolean;
  /** Still collecting: figures appear only once the phase closes, so no one can diff successive figures. */
  open: boolean;
  /** Per statement, in the programme's order; null while withheld. */
  means: { key: PulseItemKey; statement: string; mean: number }[] | null;
  /** The mean scale score (the mean of each answer's statements); null while withheld. */
  scale: number | null;
}

/** Pulse results of a programme's participants' teams (or one manager's) by phase, shown only for groups of at least the tenant's minimum size. */
export async function pulseSummary(deps: Deps, caller: Caller, programmeIdRaw: string, managerId?: string): Promise<{ minGroupSize: number; phases: PulseSummary[]; postPulseDueAt: string | null }> {
  const { PulseResponse, Tenant, Programme } = deps.models;
  const programmeId = objectId(programmeIdRaw, 'Programme');
  // One team's figures are for its own manager only: beside the pooled figure, the other teams'
  // would give away a team too small to be shown.
  if (managerId !== undefined && managerId !== caller.userId) throw notFound('Programme');
  const allowed = (await Programme.exists({ _id: programmeId, ...visibleProgrammes(caller) })) || (managerId === caller.userId && caller.roles.includes('manager'));
  const programme = await Programme.findOne({ _id: programmeId, tenantId: caller.tenantId }, { pulseItems: 1, locked: 1, postPulseDueAt: 1, postPulseWaiting: 1 }).lean();
  if (!allowed || !programme) throw notFound('Programme');
  const tenant = await Tenant.findOne({ tenantId: caller.tenantId }, { minGroupSize: 1 }).lean();
  const min = clampMinGroupSize(tenant?.minGroupSize ?? 5);
  const items = pulseItemsOf(programme);
  // Summed in code over a projection: FerretDB's $group does not sum fields reliably (only counts).
  // One manager's team, or the participants' teams (the comparison managers' teams are asked too,
  // for the analysis, but are not this panel's). Participants by any enrolment, withdrawn too:
  // only confirmed participants' teams were asked, and a participant who leaves afterwards must
  // not change a figure already shown (the difference would give away their team's answers).
  const managers = managerId
    ? [managerId]
    : [...new Set((await deps.models.Enrolment.find({ tenantId: caller.tenantId, programmeId }, { userId: 1 }).lean()).map((e) => e.userId))];
  const answers = await PulseResponse.find({ tenantId: caller.tenantId, programmeId, phase: { $in: ['baseline', 'post'] }, managerId: { $in: managers } }, { phase: 1, scores: 1, asksQuestions: 1, feelHeard: 1, supportNotInstructions: 1 }).lean();
  const rows = (['baseline', 'post'] as const)
    .map((phase) => {
      const xs = answers.filter((a) => a.phase === phase).map((a) => scoresOf(a as Parameters<typeof scoresOf>[0]));
      const scales = xs.map((x) => scaleScore(x, items)).filter((v): v is number => v !== null);
      return { _id: phase, n: xs.length, items: items.map((key) => ({ key, statement: PULSE_ITEMS[key].statement, mean: meanOf(xs.map((x) => x[key]).filter((v): v is number => typeof v === 'number')) })), scale: meanOf(scales) };
    })
    .filter((r) => r.n > 0);
  const openPhases = await Promise.all(
    (['baseline', 'post'] as const).map(async (phase) => ((await deps.models.FeedbackRequest.exists({ tenantId: caller.tenantId, programmeId, kind: 'pulse', phase, status: 'open', managerId: { $in: managers } })) ? phase : null)),
  );
  const groups = suppress((['baseline', 'post'] as const).map((phase) => ({ key: phase, n: rows.find((r) => r._id === phase)?.n ?? 0, value: 0 })), min);
  return {
    minGroupSize: min,
    postPulseDueAt: programme.postPulseWaiting && programme.postPulseDueAt ? programme.postPulseDueAt.toISOString() : null,
    phases: groups.map((g) => {
      const r = rows.find((x) => x._id === g.key);
      const open = openPhases.includes(g.key as 'baseline' | 'post');
      const hidden = g.suppressed || !r || open;
      return {
        phase: g.key as PulseSummary['phase'],
        open,
        // Below the minimum even the count is withheld: "fewer than N answered" is all that is said.
        n: hidden ? 0 : r!.n,
        suppressed: hidden,
        means: hidden ? null : r!.items.map((i) => ({ ...i, mean: round(i.mean) })),
        scale: hidden ? null : round(r!.scale),
      };
    }),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;
const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Session feedback for the coach and owner: ratings with what people will try next. */
export async function sessionFeedback(deps: Deps, caller: Caller, sessionIdRaw: string) {
  const { SessionFeedback, SessionPlan } = deps.models;
  const sessionId = objectId(sessionIdRaw, 'Session');
  if (!(await SessionPlan.exists({ _id: sessionId, tenantId: caller.tenantId }))) throw notFound('Session');
  const answers = await SessionFeedback.find({ tenantId: caller.tenantId, sessionId }).sort({ createdAt: 1 }).lean();
  const names = await namesOf(deps, caller.tenantId, answers.map((a) => a.userId));
  return answers.map((a) => ({ name: names.get(a.userId) ?? UNKNOWN_PERSON, rating: a.rating, tryNext: a.tryNext, comment: a.comment }));
}
