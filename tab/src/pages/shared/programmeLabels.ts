import type { IntlShape } from 'react-intl';
import type { ProgrammeStatus, SessionKind } from '../../api/types';
import type { MessageId } from '../../i18n/messages';
import { humanise } from '../../lib/datetime';

const SESSION_KIND: Record<SessionKind, MessageId> = {
  kickoff: 'sessionKind.kickoff',
  workshop: 'sessionKind.workshop',
  role_play: 'sessionKind.rolePlay',
  practical: 'sessionKind.practical',
  one_to_one: 'sessionKind.oneToOne',
  close_out: 'sessionKind.closeOut',
};

const PROGRAMME_STATUS: Record<ProgrammeStatus, MessageId> = {
  draft: 'programmeStatus.draft',
  proposed: 'programmeStatus.proposed',
  sponsored: 'programmeStatus.sponsored',
  declined: 'programmeStatus.declined',
  changes_requested: 'programmeStatus.changesRequested',
  enrolling: 'programmeStatus.enrolling',
  running: 'programmeStatus.running',
  completed: 'programmeStatus.completed',
  withdrawn: 'programmeStatus.withdrawn',
};

/** "role_play" → "Role-play" ("Rollenspiel"); a kind the tab does not know yet is shown humanised. */
export function sessionKindText(intl: IntlShape, kind: string): string {
  const id = SESSION_KIND[kind as SessionKind];
  return id ? intl.formatMessage({ id }) : humanise(kind);
}

/** "changes_requested" → "Changes requested"; an unknown status is shown humanised. */
export function programmeStatusText(intl: IntlShape, status: string): string {
  const id = PROGRAMME_STATUS[status as ProgrammeStatus];
  return id ? intl.formatMessage({ id }) : humanise(status);
}

/** "Pilot" or "Rollout". */
export function programmeKindText(intl: IntlShape, kind: 'pilot' | 'rollout'): string {
  return intl.formatMessage({ id: kind === 'pilot' ? 'programmeKind.pilot' : 'programmeKind.rollout' });
}
