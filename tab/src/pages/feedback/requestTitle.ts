import type { IntlShape } from 'react-intl';
import type { FeedbackRequest } from '../../api/types';

/** A request's title in the reader's language: the manager a pulse asks about, or the session rated. */
export function requestTitle(intl: IntlShape, request: Pick<FeedbackRequest, 'kind' | 'about'>): string {
  if (request.kind === 'pulse') {
    return request.about
      ? intl.formatMessage({ id: 'feedback.request.pulse' }, { manager: request.about })
      : intl.formatMessage({ id: 'feedback.request.pulseUnnamed' });
  }
  return request.about
    ? intl.formatMessage({ id: 'feedback.request.session' }, { session: request.about })
    : intl.formatMessage({ id: 'feedback.request.sessionUnnamed' });
}
