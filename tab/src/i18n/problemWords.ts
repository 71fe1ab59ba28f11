import { createIntl, type IntlShape } from 'react-intl';
import { englishMessages, type MessageId } from './messages';

/**
 * Refusals the API explains by code, worded in the reader's language: the API's `detail` is
 * English. Codes that carry the reader's own input (field errors) are not here: their detail says more.
 */
const BY_CODE: Record<string, MessageId> = {
  programme_not_enrolling: 'problem.programmeNotEnrolling',
  enrolment_not_open_yet: 'problem.enrolmentNotOpenYet',
  enrolment_closed: 'problem.enrolmentClosed',
  enrolment_not_withdrawable: 'problem.enrolmentNotWithdrawable',
  not_awaiting_approval: 'problem.notAwaitingApproval',
  already_decided: 'problem.alreadyDecided',
  programme_changed: 'problem.programmeChanged',
  programme_busy: 'problem.programmeBusy',
  not_promised: 'problem.notPromised',
  not_going_ahead: 'problem.notGoingAhead',
  not_a_sponsor: 'problem.notASponsor',
  programme_not_found: 'problem.programmeNotFound',
  cohort_not_found: 'problem.cohortNotFound',
  enrolment_not_found: 'problem.enrolmentNotFound',
  feedback_not_open: 'problem.feedbackNotOpen',
  departed: 'app.error.departed.message',
};

/** Answers whose English detail says no more than their status (sign-in, permission, not found, too many, no connection; 5xx is server trouble). */
const BY_STATUS: Record<number, MessageId> = {
  0: 'problem.unreachable',
  401: 'problem.signInExpired',
  403: 'problem.forbidden',
  404: 'problem.notFound',
  429: 'problem.tooMany',
};
const statusId = (status: number): MessageId | undefined => (status >= 500 ? 'problem.server' : BY_STATUS[status]);

/** English until the LocaleProvider binds the chosen language (start-up and sign-in fail in English). */
let intl: IntlShape = createIntl({ locale: 'en', messages: englishMessages });

/** The language errors are read in from now on (the LocaleProvider's). */
export function bindProblemWords(current: IntlShape): void {
  intl = current;
}

/**
 * An API refusal in the reader's language, or null to show the API's own words. English readers
 * keep the API's detail (it may say more, such as when enrolment closed); others read a known
 * code's words, else those of a status that says it all.
 */
export function problemWords(status: number, code: string | undefined, hasDetail: boolean): string | null {
  if (hasDetail && intl.locale.toLowerCase().startsWith('en')) return null;
  const id = (code ? BY_CODE[code] : undefined) ?? statusId(status);
  return id ? intl.formatMessage({ id }) : null;
}

/** What an answer's status alone says, in the reader's language; null when it says nothing particular. */
export function statusWords(status: number): string | null {
  const id = statusId(status);
  return id ? intl.formatMessage({ id }) : null;
}

/** "Something went wrong" in the reader's language, for a failure that is not an API answer. */
export function unknownProblem(): string {
  return intl.formatMessage({ id: 'problem.unknown' });
}
