import { useId } from 'react';
import { Badge, Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { SponsorCommitments, SponsoredProgramme } from '../../api/types';
import { formatDate } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { PulseResults } from '../shared/PulseResults';
import { KindBadge, SponsorLine, useCardStyles } from './ProposalCard';
import { decisionText, formatCalendarDate, ruleText, statusColour, statusText } from './labels';
import { useLinkedTarget } from '../../app/useLinkedTarget';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, gap: tokens.spacingVerticalM },
  decision: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

function commitmentItems(commitments: SponsorCommitments): string[] {
  const items: string[] = [];
  if (commitments.attendKickoff) items.push('Attend the kickoff');
  if (commitments.coachedFirst) items.push('Be coached first');
  if (commitments.reviewResultsBy) {
    items.push(`Review the results by ${formatCalendarDate(commitments.reviewResultsBy)}`);
  }
  return items;
}

/** A programme this sponsor has decided on: where it stands, and what they said and promised. */
export function DecidedCard({ programme, meId }: { programme: SponsoredProgramme; meId: string }) {
  const styles = useStyles();
  const shared = useCardStyles();
  const titleId = useId();
  const linked = useLinkedTarget<HTMLHeadingElement>('programme', programme.id);
  const commitmentsId = useId();
  const mine = programme.sponsors.find((sponsor) => sponsor.userId === meId)?.decision ?? null;
  const others = programme.sponsors.filter((sponsor) => sponsor.userId !== meId);
  const commitments = mine?.commitments ?? null;
  const promised = commitments ? commitmentItems(commitments) : [];
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
            {statusText(programme.status)}
          </Badge>
        </div>
        <div className={shared.meta}>
          <Text size={200}>Proposed by {programme.owner.name}</Text>
          <Text size={200}>{ruleText(programme.sponsorRule)}</Text>
        </div>
      </div>

      {mine ? (
        <div className={styles.decision}>
          <Text>
            <Text weight="semibold">Your decision:</Text> {decisionText(mine.decision)} on{' '}
            <time dateTime={mine.decidedAt}>{formatDate(mine.decidedAt)}</time>
          </Text>
          {mine.decision !== 'approved' && mine.reason && (
            <Text as="p" className={shared.quote}>
              “{mine.reason}”
            </Text>
          )}
          {mine.decision === 'approved' && (
            <>
              <Heading level={4} id={commitmentsId}>
                Your commitments
              </Heading>
              {promised.length === 0 && ownWords === '' ? (
                <Text className={shared.muted}>You did not state any commitments.</Text>
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
                      <Text>“{ownWords}”</Text>
                    </blockquote>
                  )}
                </>
              )}
            </>
          )}
        </div>
      ) : (
        <Text className={shared.muted}>Your decision is not recorded on this programme.</Text>
      )}

      {others.length > 0 && (
        <ul className={shared.plain} aria-label="Other sponsors' decisions">
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
            View results
          </Button>
        </div>
      )}
    </Card>
  );
}
