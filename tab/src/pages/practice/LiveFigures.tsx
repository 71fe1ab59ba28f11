import { useId } from 'react';
import { Badge, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { BEHAVIOUR_INFO, BEHAVIOURS, hintFor, ratiosOf, type Tally } from '../../../../service/src/domain/practice';
import { Heading } from '../../ui/Heading';
import { BAND_COLOUR, BAND_TEXT, RATIO_KEYS, RATIO_WORDS } from './words';

const useFigureStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 128px), 1fr))',
    gap: tokens.spacingHorizontalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  wide: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 220px), 1fr))' },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  label: { color: tokens.colorNeutralForeground2 },
  count: { fontVariantNumeric: 'tabular-nums', lineHeight: tokens.lineHeightHero700 },
  valueRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
  hint: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorCompoundBrandStroke}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

/**
 * A round's tally per behaviour, its four ratios judged against the adapted MITI thresholds (in
 * words: colour is never the only signal), and the next step to try. Everything is computed from
 * the tally here, so every screen shows the same figures for the same set of taps.
 */
export function LiveFigures({ tally }: { tally: Tally }) {
  const styles = useFigureStyles();
  const tallyId = useId();
  const ratiosId = useId();
  const ratios = ratiosOf(tally);
  return (
    <div className={styles.root}>
      <div className={styles.block}>
        <Heading level={3} id={tallyId}>
          Behaviours counted
        </Heading>
        <ul className={styles.grid} aria-labelledby={tallyId}>
          {BEHAVIOURS.map((b) => (
            <li key={b} className={styles.tile} data-behaviour={b}>
              <Text size={200} className={styles.label}>
                {BEHAVIOUR_INFO[b].label}
              </Text>
              <Text size={700} weight="semibold" className={styles.count}>
                {tally[b]}
              </Text>
            </li>
          ))}
        </ul>
      </div>
      <div className={styles.block}>
        <Heading level={3} id={ratiosId}>
          Ratios
        </Heading>
        <ul className={mergeClasses(styles.grid, styles.wide)} aria-labelledby={ratiosId}>
          {RATIO_KEYS.map((key) => {
            const words = RATIO_WORDS[key];
            const { value, band } = ratios[key];
            return (
              <li key={key} className={styles.tile} data-ratio={key}>
                <Text size={200} className={styles.label}>
                  {words.label}
                </Text>
                <div className={styles.valueRow}>
                  <Text size={600} weight="semibold" className={styles.count}>
                    {value === null ? '–' : words.format(value)}
                  </Text>
                  {band && (
                    <Badge appearance="tint" shape="rounded" color={BAND_COLOUR[band]}>
                      {BAND_TEXT[band]}
                    </Badge>
                  )}
                </div>
                {value === null && <Text size={200}>{words.missing}</Text>}
                <Text size={200} className={styles.muted}>
                  {words.threshold}
                </Text>
              </li>
            );
          })}
        </ul>
      </div>
      <div className={styles.hint}>
        <Text weight="semibold">Next step</Text>
        <Text>{hintFor(tally)}</Text>
      </div>
    </div>
  );
}
