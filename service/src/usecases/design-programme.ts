import { DomainError, notFound } from '../domain/errors';
import { isIanaTimeZone, nextStatus, validateDesign, type ComparisonMode, type ProgrammeStatus, type SessionPlanInput } from '../domain/programme';
import { metricChoiceProblems } from '../domain/metrics';
import type { ProgrammeDoc } from '../data/models';
import { audit } from './audit';
import type { Caller, Deps } from './deps';
import { objectId } from './ids';
import { tenantCatalogue } from './metrics';

export interface DesignInput {
  title: string;
  kind: 'pilot' | 'rollout';
  summary: string;
  goals: string;
  hypothesis: string;
  eligibility: { userIds: string[]; orgUnits: string[]; jobLevels: string[] };
  capacityPerCohort: number;
  cohortCount: number;
  enrolmentOpensAt: Date;
  enrolmentClosesAt: Date;
  sessions: SessionPlanInput[];
  metrics: string[];
  primaryMetric: string | null;
  pulseItems: string[];
  comparison: { mode: ComparisonMode; userIds: string[]; caliperSd: number };
  requiresLineManagerApproval?: boolean;
}

async function checked(deps: Deps, tenantId: string, input: DesignInput, previousMetrics: readonly string[] = []): Promise<void> {
  const problems = [...validateDesign(input, deps.now(), isIanaTimeZone), ...metricChoiceProblems(input.metrics, await tenantCatalogue(deps, tenantId), previousMetrics)];
  if (problems.length) throw new DomainError('invalid', 'The programme design has problems to fix.', 'design_invalid', problems.map((p) => ({ path: `body.${p.path}`, message: p.message })));
}

function fields(input: DesignInput) {
  const { sessions, ...rest } = input;
  return { ...rest, primaryMetric: input.primaryMetric ?? input.metrics[0] ?? null, sessionPlan: sessions };
}

/** A programme owner starts a draft. */
export async function createProgramme(deps: Deps, caller: Caller, input: DesignInput, requestId: string): Promise<ProgrammeDoc> {
  await checked(deps, caller.tenantId, input);
  const doc = await deps.models.Programme.create({ tenantId: caller.tenantId, status: 'draft', createdBy: caller.userId, ...fields(input) });
  await audit(deps, caller, 'programme.create', `programme:${String(doc._id)}`, { title: input.title }, requestId);
  return doc.toObject() as ProgrammeDoc;
}

/** Edits a draft, or a programme sent back for changes. */
export async function updateProgramme(deps: Deps, caller: Caller, programmeIdRaw: string, input: DesignInput): Promise<ProgrammeDoc> {
  const { Programme } = deps.models;
  const _id = objectId(programmeIdRaw, 'Programme');
  const current = await Programme.findOne({ _id, tenantId: caller.tenantId }).lean();
  if (!current) throw notFound('Programme');
  nextStatus(current.status as ProgrammeStatus, 'edit');
  await checked(deps, caller.tenantId, input, current.metrics);
  const updated = await Programme.findOneAndUpdate(
    { _id, tenantId: caller.tenantId, status: { $in: ['draft', 'changes_requested'] } },
    { $set: fields(input) },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainError('conflict', 'The programme changed state while you were editing it.', 'programme_changed');
  return updated;
}
