import type { BadgeProps } from '@fluentui/react-components';
import type { ComparisonMode, ComparisonRule, ProgrammeStatus, SessionKind } from '../../api/types';

const STATUS_TEXT: Record<ProgrammeStatus, string> = {
  draft: 'Draft',
  proposed: 'Awaiting sponsorship',
  sponsored: 'Sponsored',
  declined: 'Declined',
  changes_requested: 'Changes requested',
  enrolling: 'Enrolling',
  running: 'Running',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

const STATUS_COLOUR: Record<ProgrammeStatus, BadgeProps['color']> = {
  draft: 'informative',
  proposed: 'warning',
  sponsored: 'success',
  declined: 'danger',
  changes_requested: 'severe',
  enrolling: 'brand',
  running: 'brand',
  completed: 'success',
  withdrawn: 'subtle',
};

export function statusText(status: string): string {
  return STATUS_TEXT[status as ProgrammeStatus] ?? status;
}

export function statusColour(status: string): BadgeProps['color'] {
  return STATUS_COLOUR[status as ProgrammeStatus] ?? 'informative';
}

/** Statuses in which the owner may still change the design. */
export function isEditable(status: string): boolean {
  return status === 'draft' || status === 'changes_requested';
}

export const SESSION_KINDS: readonly { value: SessionKind; label: string }[] = [
  { value: 'kickoff', label: 'Kickoff' },
  { value: 'workshop', label: 'Workshop' },
  { value: 'role_play', label: 'Role-play' },
  { value: 'practical', label: 'Practical exercise' },
  { value: 'one_to_one', label: '1:1 coaching' },
  { value: 'close_out', label: 'Close-out' },
];

export function sessionKindLabel(kind: string): string {
  return SESSION_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

/** "Workshop: From directing to coaching", without saying the kind twice when the title starts with it. */
export function titledWithKind(kind: string, title: string): string {
  const label = sessionKindLabel(kind);
  return title.toLowerCase().startsWith(label.toLowerCase()) ? title : `${label}: ${title}`;
}

/** "Org A, Org B ,," → ["Org A", "Org B"] */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export const COMPARISON_MODES: { value: ComparisonMode; label: string }[] = [
  { value: 'matched', label: 'Matched: for each participant, an eligible manager in the same org unit with the nearest baseline' },
  { value: 'all_eligible', label: 'Every eligible manager who did not enrol' },
  { value: 'chosen', label: 'People I choose' },
];

/** The comparison rule in a phrase, for design summaries. */
export function comparisonText(rule: ComparisonRule): string {
  if (rule.mode === 'chosen') {
    const n = rule.userIds.length;
    return `${n} ${n === 1 ? 'manager' : 'managers'} chosen by the owner who did not enrol`;
  }
  if (rule.mode === 'matched') return `One matched eligible manager per participant (same org unit, nearest baseline within ${rule.caliperSd ?? 0.5} standard deviations) who did not enrol`;
  return 'Every eligible manager who did not enrol';
}
