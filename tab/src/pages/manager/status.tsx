import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useIntl, type IntlShape } from 'react-intl';
import { cohortLetter } from '../../../../service/src/http/contract/limits';
import type { EnrolmentStatus } from '../../api/types';
import type { MessageId } from '../../i18n/messages';

export interface EnrolmentState {
  id: string;
  status: EnrolmentStatus;
  cohortId: string;
  waitlistPosition: number | null;
}

const STATUS_TEXT: Record<EnrolmentStatus, MessageId> = {
  awaiting_approval: 'manager.status.awaitingApproval',
  declined: 'manager.status.declined',
  requested: 'manager.status.requested',
  confirmed: 'manager.status.confirmed',
  waitlisted: 'manager.status.waitlisted',
  withdrawn: 'manager.status.withdrawn',
  completed: 'manager.status.completed',
};

/** A cohort's name in the reader's language: the product names cohorts A, B, C… in the order made. */
export function cohortName(intl: IntlShape, cohort: { index: number }): string {
  return intl.formatMessage({ id: 'manager.cohort.name' }, { letter: cohortLetter(cohort.index) });
}

/** The visible words for a status; colour only ever repeats them. */
export function statusText(intl: IntlShape, state: Pick<EnrolmentState, 'status' | 'waitlistPosition'>): string {
  if (state.status === 'waitlisted' && state.waitlistPosition != null) {
    return intl.formatMessage({ id: 'manager.status.waitlistedAt' }, { position: state.waitlistPosition });
  }
  return intl.formatMessage({ id: STATUS_TEXT[state.status] });
}

const COLOURS: Record<EnrolmentStatus, BadgeProps['color']> = {
  awaiting_approval: 'warning',
  declined: 'subtle',
  requested: 'warning',
  confirmed: 'success',
  waitlisted: 'important',
  withdrawn: 'subtle',
  completed: 'brand',
};

export function StatusBadge({ state }: { state: Pick<EnrolmentState, 'status' | 'waitlistPosition'> }) {
  const intl = useIntl();
  return (
    <Badge
      size="large"
      shape="rounded"
      appearance={state.status === 'withdrawn' ? 'outline' : 'tint'}
      color={COLOURS[state.status]}
    >
      {statusText(intl, state)}
    </Badge>
  );
}

const ANNOUNCEMENT: Record<EnrolmentStatus, MessageId> = {
  awaiting_approval: 'manager.announce.awaitingApproval',
  declined: 'manager.announce.declined',
  requested: 'manager.announce.requested',
  confirmed: 'manager.announce.confirmed',
  waitlisted: 'manager.announce.waitlisted',
  withdrawn: 'manager.announce.withdrawn',
  completed: 'manager.announce.completed',
};

/** What a screen reader hears when the status changes. */
export function statusAnnouncement(
  intl: IntlShape,
  programmeTitle: string,
  state: Pick<EnrolmentState, 'status' | 'waitlistPosition'>,
): string {
  return intl.formatMessage(
    { id: ANNOUNCEMENT[state.status] },
    { title: programmeTitle, status: statusText(intl, state) },
  );
}
