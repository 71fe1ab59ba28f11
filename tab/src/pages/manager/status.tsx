import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { EnrolmentStatus } from '../../api/types';

export interface EnrolmentState {
  id: string;
  status: EnrolmentStatus;
  cohortId: string;
  waitlistPosition: number | null;
}

/** The visible words for a status; colour only ever repeats them. */
export function statusText(state: Pick<EnrolmentState, 'status' | 'waitlistPosition'>): string {
  switch (state.status) {
    case 'awaiting_approval':
      return "Awaiting your line manager's approval";
    case 'declined':
      return 'Declined by your line manager';
    case 'requested':
      return 'Pending';
    case 'confirmed':
      return 'Confirmed';
    case 'waitlisted':
      return state.waitlistPosition != null
        ? `Waitlisted (position ${state.waitlistPosition})`
        : 'Waitlisted';
    case 'withdrawn':
      return 'Withdrawn';
    case 'completed':
      return 'Completed';
  }
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
  return (
    <Badge
      size="large"
      shape="rounded"
      appearance={state.status === 'withdrawn' ? 'outline' : 'tint'}
      color={COLOURS[state.status]}
    >
      {statusText(state)}
    </Badge>
  );
}

/** What a screen reader hears when the status changes. */
export function statusAnnouncement(
  programmeTitle: string,
  state: Pick<EnrolmentState, 'status' | 'waitlistPosition'>,
): string {
  switch (state.status) {
    case 'awaiting_approval':
      return `Your request to join ${programmeTitle} is waiting for your line manager's approval.`;
    case 'declined':
      return `Your line manager declined your enrolment in ${programmeTitle}.`;
    case 'requested':
      return `Enrolment requested for ${programmeTitle}. Pending confirmation.`;
    case 'confirmed':
      return `Your place on ${programmeTitle} is confirmed. Your schedule is shown below.`;
    case 'waitlisted':
      return `You are on the waitlist for ${programmeTitle}: ${statusText(state)}.`;
    case 'withdrawn':
      return `You have withdrawn from ${programmeTitle}.`;
    case 'completed':
      return `You have completed ${programmeTitle}.`;
  }
}
