import { useId } from 'react';
import { Badge, Button, Card, Checkbox, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { CommitmentItem, CommitmentStatus, DecidedProgramme, MySponsorshipsResponse, SponsorCommitments } from '../../api/types';
import type { MessageId } from '../../i18n/messages';
import { COMMITMENT_STATUS_COLOUR } from '../results/format';
import { NOT_GOING_AHEAD } from '../../../../service/src/http/contract/limits';
import { reasonOf } from '../../api/client';
import { keys } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useFormat } from '../../i18n/format';
import { Heading } from '../../ui/Heading';
import { PulseResults } from '../shared/PulseResults';
import { KindBadge, SponsorLine, useCardStyles } from './ProposalCard';
import { decisionText, formatCalendarDate, ruleText, statusColour, statusText } from './labels';
import { useLinkedTarget } from '../../app/useLinkedTarget';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  decision: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  // Inside the list item, so that it keeps its bullet.
  item: { display: 'inline-flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

type CommitmentKey = CommitmentItem['key'];

const STATUS_TEXT: Record<CommitmentStatus, MessageId> = {
  kept: 'sponsor.commitment.status.kept',
  pending: 'sponsor.commitment.status.pending',
  overdue: 'sponsor.commitment.status.overdue',
  missed: 'sponsor.commitment.status.missed',
};

function commitmentItems(intl: IntlShape, commitments: SponsorCommitments): { key: CommitmentKey; text: string }[] {
  const items: { key: CommitmentKey; text: string }[] = [];
  if (commitments.attendKickoff) items.push({ key: 'attend_kickoff', text: intl.formatMessage({ id: 'sponsor.commitment.kickoff' }) });
  if (commitments.coachedFirst) items.push({ key: 'coached_first', text: intl.formatMessage({ id: 'sponsor.commitment.coachedFirst' }) });
  if (commitments.reviewResultsBy) {
    items.push({
      key: 'review_results',
      text: intl.formatMessage({ id: 'sponsor.commitment.reviewBy' }, { date: formatCalendarDate(commitments.reviewResultsBy, intl.locale) }),
    });
  }
  return items;
}

/**
 * Being coached first is the one promise only the sponsor can vouch for (the product sees the
 * kickoff's attendance and the results opened, not private coaching), so they tick it here. A
 * checkbox keeps the focus and says its state; it shows the state asked for while that is saved.
 */
function CoachedFirst({ programmeId, coachedAt, describedBy, onAnnounce }: { programmeId: string; coachedAt: string | null; describedBy: string; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const api = useApi();
  const queryClient = useQueryClient();
  const save = useFormMutation({
    mutationFn: (done: boolean, signal) => api.declareCoached(programmeId, done, signal),
    onSaved: ({ programme }) =>
      queryClient.setQueryData<MySponsorshipsResponse>(keys.sponsorships, (d) => d && { ...d, decided: d.decided.map((p) => (p.id === programme.id ? programme : p)) }),
    // The follow-through on the results page.
    invalidates: [keys.programmes.one(programmeId)],
    onSuccess: (_, done) => onAnnounce(intl.formatMessage({ id: done ? 'sponsor.coached.saved' : 'sponsor.coached.undone' })),
    onError: (error) => onAnnounce(intl.formatMessage({ id: 'sponsor.coached.failed' }, { reason: reasonOf(error) })),
  });
  const checked = save.busy ? !!save.variables : !!coachedAt;
  return (
    <>
      <Checkbox
        label={intl.formatMessage({ id: 'sponsor.coached.mark' })}
        checked={checked}
        aria-describedby={describedBy}
        onChange={(_, data) => {
          if (!save.busy) save.send(data.checked === true);
        }}
      />
      {coachedAt && !save.busy && (
        <Text size={200} className={styles.muted}>
          <FormattedMessage id="sponsor.coached.done" values={{ date: format.date(coachedAt) }} />
        </Text>
      )}
      {save.error && (
        <Text size={200} className={styles.failed}>
          <FormattedMessage id="sponsor.coached.failed" values={{ reason: reasonOf(save.error) }} />
        </Text>
      )}
    </>
  );
}

/** A programme this sponsor has decided on: where it stands, and what they said and promised. */
export function DecidedCard({ programme, meId, onAnnounce }: { programme: DecidedProgramme; meId: string; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const shared = useCardStyles();
  const intl = useIntl();
  const format = useFormat();
  const titleId = useId();
  const linked = useLinkedTarget<HTMLHeadingElement>('programme', programme.id);
  const commitmentsId = useId();
  const mine = programme.sponsors.find((sponsor) => sponsor.userId === meId)?.decision ?? null;
  const others = programme.sponsors.filter((sponsor) => sponsor.userId !== meId);
  const commitments = mine?.commitments ?? null;
  const promised = commitments ? commitmentItems(intl, commitments) : [];
  // Worked out by the API (attendance, the results opened, their word), as the results page shows it.
  const statusOf = new Map(programme.followThrough.map((c) => [c.key, c.status]));
  const ownWords = commitments?.ownWords.trim() ?? '';

  return (
    <Card className={styles.card} role="article" aria-labelledby={titleId}>
      <div className={shared.header}>
        <div className={shared.titleRow}>
          <Heading level={3} id={titleId} {...linked}>
            {programme.title}
          </Heading>
          <KindBadge kind={programme.kind} />
          <Badge
            size="large"
            shape="rounded"
            appearance="tint"
            color={statusColour(programme.status)}
          >
            {statusText(intl, programme.status)}
          </Badge>
        </div>
        <div className={shared.meta}>
          <Text size={200}>
            <FormattedMessage id="sponsor.proposedBy" values={{ name: programme.owner.name }} />
          </Text>
          <Text size={200}>{ruleText(intl, programme.sponsorRule)}</Text>
        </div>
      </div>

      {mine ? (
        <div className={styles.decision}>
          <Text>
            <Text weight="semibold">
              <FormattedMessage id="sponsor.yourDecision" />
            </Text>{' '}
            <FormattedMessage
              id="sponsor.decidedOn"
              values={{
                decision: decisionText(intl, mine.decision),
                date: <time dateTime={mine.decidedAt}>{format.date(mine.decidedAt)}</time>,
              }}
            />
          </Text>
          {mine.decision !== 'approved' && mine.reason && (
            <Text as="p" className={shared.quote}>
              <FormattedMessage id="common.quoted" values={{ text: mine.reason }} />
            </Text>
          )}
          {mine.decision === 'approved' && (
            <>
              <Heading level={4} id={commitmentsId}>
                <FormattedMessage id="sponsor.yourCommitments" />
              </Heading>
              {promised.length === 0 && ownWords === '' ? (
                <Text className={shared.muted}>
                  <FormattedMessage id="sponsor.noCommitments" />
                </Text>
              ) : (
                <>
                  {promised.length > 0 && (
                    <ul className={shared.list} aria-labelledby={commitmentsId}>
                      {promised.map((item) => (
                        <li key={item.key}>
                          <span className={styles.item}>
                            {statusOf.has(item.key) && (
                              <Badge appearance="tint" shape="rounded" color={COMMITMENT_STATUS_COLOUR[statusOf.get(item.key)!]}>
                                <FormattedMessage id={STATUS_TEXT[statusOf.get(item.key)!]} />
                              </Badge>
                            )}
                            <Text>{item.text}</Text>
                            {item.key === 'coached_first' && !NOT_GOING_AHEAD.includes(programme.status) && (
                              <CoachedFirst programmeId={programme.id} coachedAt={commitments?.coachedAt ?? null} describedBy={titleId} onAnnounce={onAnnounce} />
                            )}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                  {ownWords && (
                    <blockquote className={shared.quote}>
                      <Text>
                        <FormattedMessage id="common.quoted" values={{ text: ownWords }} />
                      </Text>
                    </blockquote>
                  )}
                </>
              )}
            </>
          )}
        </div>
      ) : (
        <Text className={shared.muted}>
          <FormattedMessage id="sponsor.notRecorded" />
        </Text>
      )}

      {others.length > 0 && (
        <ul className={shared.plain} aria-label={intl.formatMessage({ id: 'sponsor.otherDecisions' })}>
          {others.map((sponsor) => (
            <SponsorLine key={sponsor.userId} sponsor={sponsor} />
          ))}
        </ul>
      )}

      {(programme.status === 'running' || programme.status === 'completed') && (
        <PulseResults programmeId={programme.id} level={4} />
      )}

      {['enrolling', 'running', 'completed'].includes(programme.status) && (
        <div>
          <Button
            as="a"
            href={`#/results?programme=${encodeURIComponent(programme.id)}`}
            aria-describedby={titleId}
          >
            <FormattedMessage id="sponsor.viewResults" />
          </Button>
        </div>
      )}
    </Card>
  );
}
