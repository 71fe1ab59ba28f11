import { useId } from 'react';
import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { SponsorCommitments, SponsoredProgramme } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { Heading } from '../../ui/Heading';
import { PulseResults } from '../shared/PulseResults';
import { KindBadge, SponsorLine, useCardStyles } from './ProposalCard';
import { decisionText, formatCalendarDate, ruleText, statusColour, statusText } from './labels';
import { useLinkedTarget } from '../../app/useLinkedTarget';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  decision: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

function commitmentItems(intl: IntlShape, commitments: SponsorCommitments): string[] {
  const items: string[] = [];
  if (commitments.attendKickoff) items.push(intl.formatMessage({ id: 'sponsor.commitment.kickoff' }));
  if (commitments.coachedFirst) items.push(intl.formatMessage({ id: 'sponsor.commitment.coachedFirst' }));
  if (commitments.reviewResultsBy) {
    items.push(
      intl.formatMessage(
        { id: 'sponsor.commitment.reviewBy' },
        { date: formatCalendarDate(commitments.reviewResultsBy, intl.locale) },
      ),
    );
  }
  return items;
}

/** A programme this sponsor has decided on: where it stands, and what they said and promised. */
export function DecidedCard({ programme, meId }: { programme: SponsoredProgramme; meId: string }) {
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
                        <li key={item}>
                          <Text>{item}</Text>
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
