import { useEffect, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import type { FeedbackRequest, FeedbackStatus } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { readHashPath, readHashQuery, useHashQuery } from '../../app/useHashPath';
import { useLoad } from '../../app/useLoad';
import { useFormat } from '../../i18n/format';
import type { MessageId } from '../../i18n/messages';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { PulseForm, SessionFeedbackForm } from './AnswerForm';
import { requestTitle } from './requestTitle';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '760px' },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  cardHeader: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  titleRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  plain: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  earlier: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

const KIND_TEXT: Record<FeedbackRequest['kind'], MessageId> = {
  session_feedback: 'feedback.kind.session',
  pulse: 'feedback.kind.pulse',
};

const STATUS_TEXT: Record<FeedbackStatus, MessageId> = {
  open: 'feedback.status.open',
  answered: 'feedback.status.answered',
  closed_unanswered: 'feedback.status.closedUnanswered',
  cancelled: 'feedback.status.cancelled',
};

const STATUS_COLOUR: Record<FeedbackStatus, 'brand' | 'success' | 'informative' | 'subtle'> = {
  open: 'brand',
  answered: 'success',
  closed_unanswered: 'informative',
  cancelled: 'subtle',
};

/** My feedback requests: session feedback and anonymous team pulses, answered in place. */
export default function FeedbackPage({ me }: PageProps) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const api = useApi();
  const [load, reload, { refresh, update }] = useLoad(queries.myFeedback(api));
  /** The request a notification links to: `#/feedback?request=<id>`. */
  const [query, go] = useHashQuery();
  const linked = query.get('request');
  const [selected, setSelected] = useState<string | null>(linked);
  /**
   * Requests answered in this visit: their card moves from "Waiting for your answer" to "Answered
   * just now", where it shows the thanks and takes the focus.
   */
  const [thanked, setThanked] = useState<string[]>([]);
  /** Requests found closed when answering, with the server's reason: kept on screen to explain. */
  const [closedNow, setClosedNow] = useState<Record<string, string>>({});
  const [announcement, setAnnouncement] = useState('');
  const focusTarget = useRef<string | null>(linked);
  const followedLink = useRef(linked);
  const headings = useRef(new Map<string, HTMLHeadingElement>());

  // A notification followed while this page is open changes only the query.
  useEffect(() => {
    if (linked === followedLink.current) return;
    followedLink.current = linked;
    if (!linked) return;
    setSelected(linked);
    focusTarget.current = linked;
    void refresh();
  }, [linked, refresh]);

  // Bring the request named in the address into view once it is on screen.
  useEffect(() => {
    const id = focusTarget.current;
    if (!id || load.kind !== 'ready') return;
    const heading = headings.current.get(id);
    if (heading) {
      focusTarget.current = null;
      heading.focus();
      heading.scrollIntoView?.({ block: 'start' });
    }
  }, [load, selected, thanked]);

  const setStatus = (id: string, status: FeedbackStatus) =>
    update((list) => list?.map((r) => (r.id === id ? { ...r, status } : r)));

  const answered = (request: FeedbackRequest) => {
    // The form (and its focused button) goes away: focus follows the card to its new section.
    focusTarget.current = request.id;
    // No form open any more: the address names none, so the same link followed again is seen (unless
    // the answer came back after the person moved on: that address is not this page's to change).
    followedLink.current = null;
    if (readHashPath() === 'feedback' && readHashQuery().get('request') === request.id) go({}, true);
    setThanked((ids) => [...ids, request.id]);
    setStatus(request.id, 'answered');
    setAnnouncement(intl.formatMessage({ id: 'feedback.thanks' }));
  };

  const notOpen = (request: FeedbackRequest, detail: string) => {
    setClosedNow((map) => ({ ...map, [request.id]: detail }));
    setAnnouncement(intl.formatMessage({ id: 'feedback.notOpen.announce' }, { reason: detail }));
    void refresh();
  };

  const requests = load.kind === 'ready' ? load.data : [];
  const isThanked = (r: FeedbackRequest) => thanked.includes(r.id);
  // A request found closed while answering keeps its card where it was, to say why.
  const open = requests.filter((r) => !isThanked(r) && (r.status === 'open' || r.id in closedNow));
  const answeredNow = requests.filter(isThanked);
  const earlier = requests.filter((r) => r.status !== 'open' && !isThanked(r) && !(r.id in closedNow));
  // With a single open request there is nothing to choose: show its form.
  const shown = open.length === 1 && !selected ? open[0]?.id ?? null : selected;
  const missing =
    load.kind === 'ready' && selected !== null && !requests.some((r) => r.id === selected);
  const closed = earlier.find((r) => r.id === selected) ?? null;

  const card = (request: FeedbackRequest) => (
    <Card
      key={request.id}
      className={styles.card}
      role="article"
      aria-labelledby={`feedback-${request.id}`}
    >
      <div className={styles.cardHeader}>
        <div className={styles.titleRow}>
          <Heading
            level={3}
            id={`feedback-${request.id}`}
            tabIndex={-1}
            ref={(el) => {
              if (el) headings.current.set(request.id, el);
              else headings.current.delete(request.id);
            }}
          >
            {requestTitle(intl, request)}
          </Heading>
          <Badge appearance="tint" shape="rounded" color="informative">
            <FormattedMessage id={KIND_TEXT[request.kind]} />
          </Badge>
          {isThanked(request) && (
            <Badge appearance="tint" shape="rounded" color={STATUS_COLOUR.answered}>
              <FormattedMessage id={STATUS_TEXT.answered} />
            </Badge>
          )}
        </div>
        <Text size={200} className={styles.muted}>
          <FormattedMessage
            id="feedback.sent"
            values={{
              programme: request.programmeTitle,
              date: <time dateTime={request.sentAt}>{format.date(request.sentAt)}</time>,
            }}
          />
        </Text>
      </div>
      {isThanked(request) ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <FormattedMessage id="feedback.thanks" />
          </MessageBarBody>
        </MessageBar>
      ) : request.id in closedNow ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="feedback.notOpen.title" />
            </MessageBarTitle>
            {closedNow[request.id]}
          </MessageBarBody>
        </MessageBar>
      ) : shown === request.id ? (
        request.kind === 'pulse' ? (
          <PulseForm
            request={request}
            onAnswered={() => answered(request)}
            onNotOpen={(detail) => notOpen(request, detail)}
          />
        ) : (
          <SessionFeedbackForm
            request={request}
            onAnswered={() => answered(request)}
            onNotOpen={(detail) => notOpen(request, detail)}
          />
        )
      ) : (
        <div>
          <Button
            appearance="primary"
            aria-label={intl.formatMessage({ id: 'feedback.answerNamed' }, { title: requestTitle(intl, request) })}
            onClick={() => {
              setSelected(request.id);
              focusTarget.current = request.id;
              // The address names the request picked: a link to another one, even the one followed
              // before, then changes it and is followed.
              followedLink.current = request.id;
              go({ request: request.id }, true);
            }}
          >
            <FormattedMessage id="feedback.answer" />
          </Button>
        </div>
      )}
    </Card>
  );

  return (
    <div className={styles.root}>
      <LiveRegion message={announcement} />
      <div className={styles.intro}>
        <Heading level={1}>
          <FormattedMessage id="feedback.title" />
        </Heading>
        <Text className={styles.muted}>
          {me.roles.includes('manager') ? (
            <FormattedMessage id="feedback.intro.manager" values={{ name: me.user.name }} />
          ) : (
            <FormattedMessage id="feedback.intro.teamMember" values={{ name: me.user.name, organisation: me.tenant.name }} />
          )}
        </Text>
      </div>

      <Loaded
        load={load}
        loading={intl.formatMessage({ id: 'feedback.loading' })}
        failed={intl.formatMessage({ id: 'feedback.loadFailed' })}
        onRetry={reload}
      />

      {missing && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              <FormattedMessage id="feedback.missing.title" />
            </MessageBarTitle>
            <FormattedMessage id="feedback.missing.body" />
          </MessageBarBody>
        </MessageBar>
      )}

      {closed && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{requestTitle(intl, closed)}</MessageBarTitle>
            <FormattedMessage id={closed.status === 'answered' ? 'feedback.closed.answered' : 'feedback.closed.closed'} />
          </MessageBarBody>
        </MessageBar>
      )}

      {load.kind === 'ready' && requests.length === 0 && (
        <EmptyState heading title={intl.formatMessage({ id: 'feedback.empty.title' })}>
          <FormattedMessage id="feedback.empty.body" />
        </EmptyState>
      )}

      {/* Their home because they hold no role: say how to get one. */}
      {me.roles.length === 0 && (
        <Text className={styles.muted}>
          <FormattedMessage id="feedback.noRole" />
        </Text>
      )}

      {load.kind === 'ready' && requests.length > 0 && (
        <section className={styles.section} aria-labelledby="feedback-open">
          <Heading level={2} id="feedback-open">
            <FormattedMessage id="feedback.waiting" />
          </Heading>
          {open.length === 0 ? (
            <Text className={styles.muted}>
              <FormattedMessage id={answeredNow.length > 0 ? 'feedback.waitingNone.afterAnswer' : 'feedback.waitingNone'} />
            </Text>
          ) : (
            open.map((request) => card(request))
          )}
        </section>
      )}

      {answeredNow.length > 0 && (
        <section className={styles.section} aria-labelledby="feedback-answered">
          <Heading level={2} id="feedback-answered">
            <FormattedMessage id="feedback.answeredNow" />
          </Heading>
          {answeredNow.map((request) => card(request))}
        </section>
      )}

      {earlier.length > 0 && (
        <section className={styles.section} aria-labelledby="feedback-earlier">
          <Heading level={2} id="feedback-earlier">
            <FormattedMessage id="feedback.earlier" />
          </Heading>
          <ul className={styles.plain}>
            {earlier.map((request) => (
              <li key={request.id} className={styles.earlier}>
                <Text weight="semibold">{requestTitle(intl, request)}</Text>
                <Text size={200} className={styles.muted}>
                  <FormattedMessage id={KIND_TEXT[request.kind]} /> · {request.programmeTitle} ·{' '}
                  <time dateTime={request.sentAt}>{format.date(request.sentAt)}</time>
                </Text>
                <Badge appearance="tint" shape="rounded" color={STATUS_COLOUR[request.status]}>
                  <FormattedMessage id={STATUS_TEXT[request.status]} />
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
