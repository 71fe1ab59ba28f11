import type { BadgeProps } from '@fluentui/react-components';
import type { ProgrammeStatus, SponsorDecisionKind, SponsoredProgramme } from '../../api/types';

export function ruleText(rule: SponsoredProgramme['sponsorRule']): string {
  return rule === 'all' ? 'All sponsors must approve' : "Any one sponsor's approval is enough";
}

const STATUS_TEXT: Record<ProgrammeStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed — waiting for other sponsors',
  sponsored: 'Sponsored',
  declined: 'Declined',
  changes_requested: 'Changes requested',
  enrolling: 'Enrolling',
  running: 'Running',
  completed: 'Completed',
  withdrawn: 'Withdrawn',
};

const STATUS_COLOUR: Record<ProgrammeStatus, BadgeProps['color']> = {
  draft: 'subtle',
  proposed: 'warning',
  sponsored: 'success',
  declined: 'danger',
  changes_requested: 'important',
  enrolling: 'brand',
  running: 'brand',
  completed: 'informative',
  withdrawn: 'subtle',
};

export function statusText(status: string): string {
  return STATUS_TEXT[status as ProgrammeStatus] ?? status;
}

export function statusColour(status: string): BadgeProps['color'] {
  return STATUS_COLOUR[status as ProgrammeStatus] ?? 'informative';
}

export function decisionText(decision: SponsorDecisionKind): string {
  switch (decision) {
    case 'approved':
      return 'Approved';
    case 'declined':
      return 'Declined';
    case 'changes_requested':
      return 'Asked for changes';
  }
}

export function goalList(goals: SponsoredProgramme['goals']): string[] {
  if (Array.isArray(goals)) return goals.filter((goal) => goal.trim() !== '');
  return goals && goals.trim() !== '' ? [goals] : [];
}

/**
 * A calendar date such as "2026-06-30" shown as written, whatever the viewer's zone;
 * a full ISO instant is shown as the viewer's local date.
 */
export function formatCalendarDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: match ? 'UTC' : undefined,
  }).format(date);
}

/** Today's date in the viewer's zone as "YYYY-MM-DD", for the date input's minimum. */
export function todayInputValue(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
