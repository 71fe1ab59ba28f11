import type { BadgeProps } from '@fluentui/react-components';
import type { IntlShape } from 'react-intl';
import type { ProgrammeStatus, SponsorDecisionKind, SponsoredProgramme } from '../../api/types';
import type { MessageId } from '../../i18n/messages';
import { programmeStatusText } from '../shared/programmeLabels';

export function ruleText(intl: IntlShape, rule: SponsoredProgramme['sponsorRule']): string {
  return intl.formatMessage({ id: rule === 'all' ? 'sponsor.rule.all' : 'sponsor.rule.any' });
}

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

/** A programme's status as its sponsor reads it: "proposed" says who it waits for. */
export function statusText(intl: IntlShape, status: string): string {
  return status === 'proposed'
    ? intl.formatMessage({ id: 'sponsor.status.proposed' })
    : programmeStatusText(intl, status);
}

export function statusColour(status: string): BadgeProps['color'] {
  return STATUS_COLOUR[status as ProgrammeStatus] ?? 'informative';
}

const DECISION_TEXT: Record<SponsorDecisionKind, MessageId> = {
  approved: 'sponsor.decision.approved',
  declined: 'sponsor.decision.declined',
  changes_requested: 'sponsor.decision.changesRequested',
};

export function decisionText(intl: IntlShape, decision: SponsorDecisionKind): string {
  return intl.formatMessage({ id: DECISION_TEXT[decision] });
}

export function goalList(goals: SponsoredProgramme['goals']): string[] {
  if (Array.isArray(goals)) return goals.filter((goal) => goal.trim() !== '');
  return goals && goals.trim() !== '' ? [goals] : [];
}

/**
 * A calendar date such as "2026-06-30" shown as written, whatever the viewer's zone;
 * a full ISO instant is shown as the viewer's local date.
 */
export function formatCalendarDate(value: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, {
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
