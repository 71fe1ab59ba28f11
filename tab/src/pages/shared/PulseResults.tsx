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
import type { PulsePhase } from '../../api/types';
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
  muted: { color: tokens.colorNeutralForeground3 },
});

const PHASE_TEXT: Record<PulsePhase['phase'], string> = {
  baseline: 'Before coaching',
  post: 'After coaching',
};

/** Anonymous team pulse averages per phase; small groups are hidden by the API. */
export function PulseResults({ programmeId, level }: { programmeId: string; level: 3 | 4 }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const [load, reload] = useLoad(queries.pulse(api, programmeId));

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Heading level={level} id={headingId}>
        Team pulse
      </Heading>
      <Text size={200} className={styles.muted}>
        Average agreement from 1 (strongly disagree) to 5 (strongly agree), from the managers'
        team members. Answers are anonymous.
      </Text>
      {load.kind === 'loading' && <Spinner size="tiny" label="Loading team pulse…" />}
      {load.kind === 'error' && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{`The team pulse could not be loaded. ${load.message}`}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={reload}>Retry</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {load.kind === 'ready' && load.data.phases.length === 0 && (
        <Text className={styles.muted}>No pulse has been sent yet.</Text>
      )}
      {load.kind === 'ready' &&
        load.data.phases.map((phase) => {
          const caption = `Team pulse: ${PHASE_TEXT[phase.phase].toLowerCase()}`;
          return (
            <div key={phase.phase} className={styles.phase}>
              <Text weight="semibold">
                {phase.suppressed ? PHASE_TEXT[phase.phase] : `${PHASE_TEXT[phase.phase]} · ${phase.n} ${phase.n === 1 ? 'answer' : 'answers'}`}
              </Text>
              {phase.suppressed || !phase.means ? (
                <Text className={styles.muted}>
                  {`Fewer than ${load.data.minGroupSize} answers — hidden to protect anonymity`}
                </Text>
              ) : (
                <Table aria-label={caption} size="small" className={styles.table}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Statement</TableHeaderCell>
                      <TableHeaderCell>Average (1–5)</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {phase.means.map(({ key, statement, mean }) => (
                      <TableRow key={key} className={styles.row}>
                        <TableCell>{statement}</TableCell>
                        <TableCell className={styles.num}>{mean.toFixed(1)}</TableCell>
                      </TableRow>
                    ))}
                    {phase.scale !== null && (
                      <TableRow className={styles.row}>
                        <TableCell>
                          <Text weight="semibold">Coaching behaviour score (all statements)</Text>
                        </TableCell>
                        <TableCell className={styles.num}>
                          <Text weight="semibold">{phase.scale.toFixed(1)}</Text>
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
