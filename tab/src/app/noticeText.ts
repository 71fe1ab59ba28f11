import type { IntlShape } from 'react-intl';
import type { AppNotification } from '../api/types';
import type { MessageId } from '../i18n/messages';

type Values = Record<string, string | number>;
type Worded = { title: string; body: string };

/**
 * A notice's title and body in the reader's language, worded from its kind and values (names,
 * titles, ISO dates). A kind the tab does not know, or a notice stored before it had values, is
 * shown as the server wrote it (in English).
 */
export function noticeText(intl: IntlShape, dateTime: (iso: string) => string, n: Pick<AppNotification, 'kind' | 'title' | 'body' | 'params'>): Worded {
  const p = n.params;
  const say = (id: MessageId, values?: Values) => intl.formatMessage({ id }, values);
  // A name the server could not find (someone erased, say).
  const who = (name: string | undefined) => name || say('notice.someone');
  const has = (...keys: string[]) => keys.every((k) => typeof p[k] === 'string');
  const enrolment = (key: string, values: Values = {}): Worded => ({
    title: say(`notice.enrolment.${key}.title` as MessageId, { programme: p.programme!, ...values }),
    body: say(`notice.enrolment.${key}.body` as MessageId),
  });
  switch (n.kind) {
    case 'enrolment.confirmed':
    case 'enrolment.promoted':
    case 'enrolment.declined':
    case 'enrolment.waitlisted':
      if (has('programme')) return enrolment(n.kind.slice('enrolment.'.length));
      break;
    case 'enrolment.approval_requested':
      if (has('programme')) return enrolment('approvalRequested', { requester: who(p.requester) });
      break;
    case 'programme.submitted':
      if (has('programme', 'kind', 'owner')) return { title: say('notice.programme.submitted.title', { programme: p.programme! }), body: say('notice.programme.submitted.body', { owner: who(p.owner), kind: p.kind! }) };
      break;
    case 'programme.decided':
      // The body is the sponsor's own words.
      if (has('programme', 'sponsor', 'decision')) return { title: say('notice.programme.decided.title', { programme: p.programme!, sponsor: who(p.sponsor), decision: p.decision! }), body: p.reason ?? '' };
      break;
    case 'programme.sponsor_left':
      if (has('programme', 'sponsor')) return { title: say('notice.programme.sponsorLeft.title', { programme: p.programme!, sponsor: who(p.sponsor), count: Number(p.count ?? 1) }), body: say('notice.programme.sponsorLeft.body') };
      break;
    case 'programme.invitation':
      if (has('programme', 'closesAt')) return { title: say('notice.programme.invitation.title', { programme: p.programme! }), body: say('notice.programme.invitation.body', { closes: dateTime(p.closesAt!) }) };
      break;
    case 'feedback.requested':
    case 'feedback.reminder': {
      const step = n.kind === 'feedback.requested' ? 'requested' : 'reminder';
      if (p.type === 'pulse') {
        return {
          title: say(`notice.feedback.${step}.pulse`, { manager: p.about || say('notice.yourManager') }),
          body: step === 'requested' ? say('notice.feedback.requested.pulseBody') : '',
        };
      }
      if (p.type === 'session_feedback') return { title: say(`notice.feedback.${step}.session`, { session: p.about || say('notice.yourSession') }), body: '' };
      break;
    }
    case 'feedback.escalated':
      if (has('open', 'session', 'programme')) return { title: say('notice.feedback.escalated.title', { open: Number(p.open), session: p.session || say('notice.yourSession') }), body: say('notice.feedback.escalated.body', { programme: p.programme! }) };
      break;
    case 'session.changed':
      if (has('session', 'change', 'startsAt')) {
        // The new time on the reader's own clock.
        const title = p.change === 'cancelled' ? say('notice.session.cancelled', { session: p.session! }) : say('notice.session.moved', { session: p.session!, when: dateTime(p.startsAt!) });
        return { title, body: say('notice.session.changed.body') };
      }
      break;
  }
  return { title: n.title, body: n.body };
}
