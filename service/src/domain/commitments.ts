/** What a sponsor promised when approving, and how each promise is judged kept, pending, overdue or missed. */
export const COMMITMENT_STATUSES = ['kept', 'pending', 'overdue', 'missed'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export interface Commitments {
  attendKickoff: boolean;
  coachedFirst: boolean;
  /** When the sponsor said they have been coached (their word: the product has no record of private coaching). */
  coachedAt?: Date | string | null;
  reviewResultsBy: Date | string | null;
  ownWords: string;
}

export interface CommitmentItem {
  key: 'attend_kickoff' | 'coached_first' | 'review_results';
  label: string;
  due: Date | null;
  /** 'overdue': due and past, with nothing recorded either way (pending is only for what is not due yet). */
  status: CommitmentStatus;
}

export interface Evidence {
  now: Date;
  kickoffAt: Date | null;
  attendedKickoff: 'attended' | 'no_show' | null;
  resultsViewedAt: Date | null;
  programmeStatus: string;
}

export function commitmentStatus(c: Commitments | null | undefined, e: Evidence): CommitmentItem[] {
  if (!c) return [];
  const items: CommitmentItem[] = [];
  const undecided = (due: Date | null): CommitmentItem['status'] => (due && due.getTime() < e.now.getTime() ? 'overdue' : 'pending');
  if (c.attendKickoff) {
    const status = e.attendedKickoff === 'attended' ? 'kept' : e.attendedKickoff === 'no_show' ? 'missed' : undecided(e.kickoffAt);
    items.push({ key: 'attend_kickoff', label: 'Attend the kickoff', due: e.kickoffAt, status });
  }
  if (c.coachedFirst) {
    // Kept once the sponsor says so; until then overdue after the kickoff, as they may still say it.
    items.push({ key: 'coached_first', label: 'Be coached first', due: e.kickoffAt, status: c.coachedAt ? 'kept' : undecided(e.kickoffAt) });
  }
  if (c.reviewResultsBy) {
    const due = new Date(c.reviewResultsBy);
    const viewedInTime = e.resultsViewedAt && e.resultsViewedAt.getTime() <= due.getTime() + 24 * 3600_000;
    const status = viewedInTime ? 'kept' : e.now.getTime() > due.getTime() + 24 * 3600_000 ? 'missed' : 'pending';
    items.push({ key: 'review_results', label: 'Review the results', due, status });
  }
  return items;
}
