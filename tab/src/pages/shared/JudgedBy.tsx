import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import type { SponsoredProgramme } from '../../api/types';
import { metricLabeller, useMetricCatalogue } from './metricCatalogue';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  item: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

const PULSE_METRICS = ['coaching_scale', 'team_pulse_heard'];

/** A programme's success metrics, the primary one marked, and the team pulse's statements where a pulse metric is chosen. */
export function JudgedBy({ programme }: { programme: Pick<SponsoredProgramme, 'metrics' | 'primaryMetric' | 'pulseItems'> }) {
  const styles = useStyles();
  const intl = useIntl();
  const [catalogue] = useMetricCatalogue();
  const data = catalogue.kind === 'ready' ? catalogue.data : null;
  const label = metricLabeller(data?.metrics ?? null);
  if (programme.metrics.length === 0) {
    return (
      <Text className={styles.muted}>
        <FormattedMessage id="judgedBy.none" />
      </Text>
    );
  }
  const primary = programme.primaryMetric ?? programme.metrics[0];
  const statements = programme.pulseItems.map((key) => data?.pulseItems.find((i) => i.key === key)?.statement ?? key);
  return (
    <>
      <ul className={styles.list}>
        {programme.metrics.map((metric) => (
          <li key={metric}>
            <span className={styles.item}>
              <Text>{label(metric)}</Text>
              {programme.metrics.length > 1 && metric === primary && (
                <Badge appearance="outline" shape="rounded" color="brand">
                  <FormattedMessage id="judgedBy.primary" />
                </Badge>
              )}
            </span>
          </li>
        ))}
      </ul>
      {programme.metrics.some((m) => PULSE_METRICS.includes(m)) && (
        <Text size={200} className={styles.muted}>
          {intl.formatMessage({ id: 'judgedBy.pulseStatements' }, { statements: statements.join('; ') })}
        </Text>
      )}
    </>
  );
}
