import { pulseItemsOf, type PulseItemKey } from '../domain/coaching-scale';
import { findIn } from '../data/bulk';
import { DEFAULT_CALIPER_SD, type ComparisonMode } from '../domain/programme';
import { notFound } from '../domain/errors';
import { holdingRole } from '../domain/roles';
import type { ProgrammeDoc } from '../data/models';
import type { Caller, Deps } from './deps';
import { UNKNOWN_PERSON } from './people';
import { objectId } from './ids';
import type { SponsorDecision } from './sponsorship';

export interface ProgrammeDetail {
  id: string;
  title: string;
  kind: string;
  status: string;
  summary: string;
  goals: string;
  hypothesis: string;
  eligibility: { userIds: string[]; orgUnits: string[]; jobLevels: string[] };
  capacityPerCohort: number;
  cohortCount: number;
  requiresLineManagerApproval: boolean;
  enrolmentOpensAt: Date;
  enrolmentClosesAt: Date;
  sessions: { kind: string; title: string; startsAt: Date; durationMinutes: number; timeZone: string; location: string }[];
  metrics: string[];
  primaryMetric: string | null;
  pulseItems: PulseItemKey[];
  comparison: { mode: ComparisonMode; userIds: string[]; caliperSd: number };
  sponsorRule: string;
  sponsors: { userId: string; name: string; decision: SponsorDecision | null; departed: boolean; leftBeforeDeciding: boolean }[];
  owner: { userId: string; name: string };
  submittedAt: Date | null;
}

/** A decision as shown: `coachedAt` null until the sponsor says so (decisions stored before it have none). */
function decisionView(d: SponsorDecision | undefined): SponsorDecision | null {
  if (!d) return null;
  return { ...d, commitments: d.commitments && { ...d.commitments, coachedAt: d.commitments.coachedAt ?? null } };
}

async function details(deps: Deps, tenantId: string, programmes: Omit<ProgrammeDoc, 'outbox'>[]): Promise<ProgrammeDetail[]> {
  const people = new Set<string>();
  for (const p of programmes) {
    people.add(p.createdBy);
    p.sponsorIds.forEach((id) => people.add(id));
  }
  const known = new Map((await findIn(deps.models.User, tenantId, 'userId', [...people], { userId: 1, name: 1, departedAt: 1 })).map((u) => [u.userId, u]));
  const name = (id: string) => known.get(id)?.name ?? UNKNOWN_PERSON;
  return programmes.map((p) => {
    const decisions = (p.sponsorDecisions ?? {}) as Record<string, SponsorDecision>;
    return {
      id: String(p._id),
      title: p.title,
      kind: p.kind,
      status: p.status,
      summary: p.summary ?? '',
      goals: p.goals ?? '',
      hypothesis: p.hypothesis ?? '',
      eligibility: { userIds: p.eligibility?.userIds ?? [], orgUnits: p.eligibility?.orgUnits ?? [], jobLevels: p.eligibility?.jobLevels ?? [] },
      capacityPerCohort: p.capacityPerCohort,
      cohortCount: p.cohortCount ?? 1,
      requiresLineManagerApproval: !!p.requiresLineManagerApproval,
      enrolmentOpensAt: p.enrolmentOpensAt,
      enrolmentClosesAt: p.enrolmentClosesAt,
      sessions: (p.sessionPlan ?? []).map((s) => ({ kind: s.kind ?? '', title: s.title ?? '', startsAt: s.startsAt!, durationMinutes: s.durationMinutes ?? 0, timeZone: s.timeZone ?? 'UTC', location: s.location ?? '' })),
      metrics: p.metrics,
      primaryMetric: p.primaryMetric ?? p.metrics[0] ?? null,
      pulseItems: pulseItemsOf(p),
      comparison: { mode: (p.comparison?.mode ?? 'all_eligible') as ComparisonMode, userIds: p.comparison?.userIds ?? [], caliperSd: p.comparison?.caliperSd ?? DEFAULT_CALIPER_SD },
      sponsorRule: p.sponsorRule ?? 'any',
      // A sponsor who has left since is named so: they will not decide.
      sponsors: p.sponsorIds.map((userId) => ({ userId, name: name(userId), decision: decisionView(decisions[userId]), departed: !!known.get(userId)?.departedAt, leftBeforeDeciding: (p.sponsorsLeft ?? []).includes(userId) })),
      owner: { userId: p.createdBy, name: name(p.createdBy) },
      submittedAt: p.submittedAt ?? null,
    };
  });
}

export async function programmeDetail(deps: Deps, tenantId: string, p: Omit<ProgrammeDoc, 'outbox'>): Promise<ProgrammeDetail> {
  return (await details(deps, tenantId, [p]))[0]!;
}

/** Every programme of the organisation, newest first (programme owners and admins). */
export async function listProgrammes(deps: Deps, caller: Caller): Promise<ProgrammeDetail[]> {
  const programmes = await deps.models.Programme.find({ tenantId: caller.tenantId }, { outbox: 0 }).sort({ _id: -1 }).limit(200).lean();
  return details(deps, caller.tenantId, programmes);
}

/**
 * Which programmes a caller may read: owners and admins all of the tenant's, anyone else (a
 * sponsor) only those they were asked to sponsor.
 */
export function visibleProgrammes(caller: Caller): Record<string, unknown> {
  const seesAll = caller.roles.includes('owner') || caller.roles.includes('admin');
  return { tenantId: caller.tenantId, ...(seesAll ? {} : { sponsorIds: caller.userId }) };
}

/** One programme; a sponsor who was not asked to sponsor it does not see it. */
export async function getProgramme(deps: Deps, caller: Caller, programmeIdRaw: string): Promise<ProgrammeDetail> {
  const _id = objectId(programmeIdRaw, 'Programme');
  const p = await deps.models.Programme.findOne({ _id, ...visibleProgrammes(caller) }).lean();
  if (!p) throw notFound('Programme');
  return programmeDetail(deps, caller.tenantId, p);
}

/** The programmes a sponsor was asked about (the documents too, for what is worked out from them). */
export async function listMySponsorships(deps: Deps, caller: Caller): Promise<{ awaiting: ProgrammeDetail[]; decided: ProgrammeDetail[]; programmes: Omit<ProgrammeDoc, 'outbox'>[] }> {
  const programmes = await deps.models.Programme.find({ tenantId: caller.tenantId, sponsorIds: caller.userId }, { outbox: 0 }).sort({ submittedAt: -1 }).limit(200).lean();
  const all = await details(deps, caller.tenantId, programmes);
  const mine = (d: ProgrammeDetail) => d.sponsors.find((s) => s.userId === caller.userId)?.decision;
  return {
    awaiting: all.filter((d) => d.status === 'proposed' && !mine(d)),
    decided: all.filter((d) => !!mine(d)),
    programmes,
  };
}

/** Senior leaders who can be asked to sponsor (not those who have left). */
export async function listSponsors(deps: Deps, caller: Caller): Promise<{ userId: string; name: string; email: string }[]> {
  const users = await deps.models.User.find({ tenantId: caller.tenantId, departedAt: null, ...holdingRole('sponsor') }, { userId: 1, name: 1, email: 1 }).sort({ nameKey: 1 }).limit(500).lean();
  return users.map((u) => ({ userId: u.userId, name: u.name, email: u.email ?? '' }));
}
