import { useId, type MouseEvent } from 'react';
import { Badge, Button, makeStyles, mergeClasses, Spinner, Text, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import type { Scenario } from '../../api/types';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  archived: { border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`, backgroundColor: tokens.colorNeutralBackground2 },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  key: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  list: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  definition: { margin: 0, color: tokens.colorNeutralForeground2, whiteSpace: 'pre-line' },
  privateNote: { fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground3 },
  aims: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, marginTop: 'auto', paddingTop: tokens.spacingVerticalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** One scenario: what everyone reads, the partner's private brief (marked as such), its aims; edit and archive for the organisation's own. */
export function ScenarioCard({
  scenario: s,
  archiving,
  onEdit,
  onArchive,
}: {
  scenario: Scenario;
  /** Set while this scenario is being archived or restored, or when that failed. */
  archiving: { busy: boolean; error: string | null } | null;
  onEdit?: (event: MouseEvent<HTMLButtonElement>) => void;
  onArchive?: () => void;
}) {
  const styles = useStyles();
  const titleId = useId();
  const restoreFocus = useRestoreFocusTarget();
  return (
    <article className={mergeClasses(styles.card, s.archived && styles.archived)} aria-labelledby={titleId}>
      <div className={styles.head}>
        <Heading level={3} id={titleId}>
          {s.title}
        </Heading>
        <div className={styles.badges}>
          {s.builtIn ? (
            <Badge appearance="outline" color="informative" shape="rounded">
              Built-in, read-only
            </Badge>
          ) : s.archived ? (
            <Badge appearance="tint" color="warning" shape="rounded">
              Archived
            </Badge>
          ) : (
            <Badge appearance="tint" color="success" shape="rounded">
              Active
            </Badge>
          )}
        </div>
      </div>
      <Text className={styles.key}>Key: {s.key}</Text>
      <dl className={styles.list}>
        <div>
          <dt className={styles.term}>Situation</dt>
          <dd className={styles.definition}>{s.situation}</dd>
        </div>
        <div>
          <dt className={styles.term}>Brief for the manager practising</dt>
          <dd className={styles.definition}>{s.practisingBrief}</dd>
        </div>
        <div>
          <dt className={styles.term}>
            Partner’s private brief <span className={styles.privateNote}>(never shown to the person practising)</span>
          </dt>
          <dd className={styles.definition}>{s.partnerBrief ?? 'Not shown to you.'}</dd>
        </div>
        <div>
          <dt className={styles.term}>Aims</dt>
          <dd className={styles.definition}>
            {s.aims.length === 0 ? (
              <span className={styles.muted}>No aims set.</span>
            ) : (
              <ul className={styles.aims}>
                {s.aims.map((aim, i) => (
                  <li key={i}>{aim}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {!s.builtIn && (
        <div className={styles.actions}>
          <Button {...restoreFocus} size="small" aria-label={`Edit ${s.title}`} disabled={!onEdit} onClick={onEdit}>
            Edit
          </Button>
          <Button
            size="small"
            aria-label={`${s.archived ? 'Restore' : 'Archive'} ${s.title}`}
            disabled={!onArchive || archiving?.busy}
            icon={archiving?.busy ? <Spinner size="extra-tiny" /> : undefined}
            onClick={onArchive}
          >
            {s.archived ? 'Restore' : 'Archive'}
          </Button>
          {archiving?.error && (
            <Text size={200} className={styles.error}>
              Not {s.archived ? 'restored' : 'archived'}: {archiving.error}
            </Text>
          )}
        </div>
      )}
    </article>
  );
}
