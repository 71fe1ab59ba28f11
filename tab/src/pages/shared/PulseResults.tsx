import { useId } from 'react';
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { useFormat } from '../../i18n/format';
import type { PulsePhase } from '../../api/types';
import type { MessageId } from '../../i18n/messages';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  phase: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  table: { maxWidth: '560px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  num: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  // "Average (1–5)" broke at its dash.
  nowrap: { whiteSpace: 'nowrap' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const PHASE_TEXT: Record<PulsePhase['phase'], MessageId> = {
  baseline: 'pulse.phase.baseline',
  post: 'pulse.phase.post',
};

/** Each phase's table name, e.g. "Team pulse: before coaching". */
const PHASE_CAPTION: Record<PulsePhase['phase'], MessageId> = {
  baseline: 'pulse.caption.baseline',
  post: 'pulse.caption.post',
};

/** Anonymous team pulse averages per phase; small groups are hidden by the API. */
export function PulseResults({ programmeId, level }: { programmeId: string; level: 3 | 4 }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const api = useApi();
  const headingId = useId();
  const [load, reload] = useLoad(queries.pulse(api, programmeId));

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Heading level={level} id={headingId}>
        <FormattedMessage id="pulse.title" />
      </Heading>
      <Text size={200} className={styles.muted}>
        <FormattedMessage id="pulse.explainer" />
      </Text>
      {load.kind === 'loading' && <Spinner size="tiny" label={intl.formatMessage({ id: 'pulse.loading' })} />}
      {load.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{intl.formatMessage({ id: 'pulse.loadFailed' }, { reason: load.message })}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={reload}>
              <FormattedMessage id="common.retry" />
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {load.kind === 'ready' && load.data.phases.length === 0 && (
        <Text className={styles.muted}>
          <FormattedMessage id="pulse.none" />
        </Text>
      )}
      {load.kind === 'ready' &&
        load.data.phases.map((phase) => {
          const phaseText = intl.formatMessage({ id: PHASE_TEXT[phase.phase] });
          const caption = intl.formatMessage({ id: PHASE_CAPTION[phase.phase] });
          // Not asked yet: the post pulse waits after the programme ends, and says when it goes out.
          const dueAt = phase.phase === 'post' ? load.data.postPulseDueAt : null;
          return (
            <div key={phase.phase} className={styles.phase}>
              <Text weight="semibold">
                {phase.suppressed
                  ? phaseText
                  : intl.formatMessage({ id: 'pulse.phaseAnswers' }, { phase: phaseText, count: phase.n })}
              </Text>
              {dueAt ? (
                <Text className={styles.muted}>
                  {intl.formatMessage(
                    { id: 'pulse.postScheduled' },
                    { date: intl.formatDate(dueAt, { day: 'numeric', month: 'long', year: 'numeric' }) },
                  )}
                </Text>
              ) : phase.suppressed || !phase.means ? (
                <Text className={styles.muted}>
                  {intl.formatMessage({ id: 'pulse.suppressed' }, { min: load.data.minGroupSize })}
                </Text>
              ) : (
                <Table aria-label={caption} size="small" className={styles.table}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>
                        <FormattedMessage id="pulse.statement" />
                      </TableHeaderCell>
                      <TableHeaderCell className={styles.nowrap}>
                        <FormattedMessage id="pulse.average" />
                      </TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {phase.means.map(({ key, statement, mean }) => (
                      <TableRow key={key} className={styles.row}>
                        <TableCell>{format.pulseStatement(key, statement)}</TableCell>
                        <TableCell className={styles.num}>
                          {intl.formatNumber(mean, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
                        </TableCell>
                      </TableRow>
                    ))}
                    {phase.scale !== null && (
                      <TableRow className={styles.row}>
                        <TableCell>
                          <Text weight="semibold">
                            <FormattedMessage id="pulse.scale" />
                          </Text>
                        </TableCell>
                        <TableCell className={styles.num}>
                          <Text weight="semibold">
                            {intl.formatNumber(phase.scale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
                          </Text>
                        </TableCell>
                      </TableRow>
                    )}
                  </TableBody>
                </Table>
              )}
            </div>
          );
        })}
    </section>
  );
}
