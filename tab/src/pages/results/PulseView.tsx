import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { PulsePhase, PulseResultsResponse } from '../../api/types';
import { formatDate } from '../../lib/datetime';
import { BeforeAfterBars } from './charts';
import { num, PHASE_TEXT, phaseMean, pulseStatements } from './format';
import { ChartOrTable, FigureTable, usePartStyles } from './parts';

const useStyles = makeStyles({
  phases: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL, margin: 0, padding: 0, listStyleType: 'none' },
  phase: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

function phaseStatus(phase: PulsePhase, data: PulseResultsResponse): string {
  if (phase.open) return 'hidden until the pulse closes';
  // Not asked yet: the post pulse waits after the programme ends.
  if (phase.phase === 'post' && data.postPulseDueAt) return `goes out on ${formatDate(data.postPulseDueAt)}`;
  const { minGroupSize } = data;
  if (phase.suppressed || !phase.means) return `fewer than ${minGroupSize} answers, hidden to protect anonymity`;
  return `${phase.n} ${phase.n === 1 ? 'answer' : 'answers'}`;
}

/** Team members' anonymous pulse, baseline versus after coaching. */
export function PulseView({ data, describedBy }: { data: PulseResultsResponse; describedBy: string }) {
  const styles = useStyles();
  const parts = usePartStyles();
  const baseline = data.phases.find((p) => p.phase === 'baseline');
  const post = data.phases.find((p) => p.phase === 'post');
  if (data.phases.length === 0) {
    return <Text className={parts.muted}>No pulse has been sent yet.</Text>;
  }
  const statements = pulseStatements(data);
  const anyShown = statements.length > 0;
  const cell = (value: number | null) => (value === null ? 'Hidden' : num(value));

  return (
    <>
      <ul className={styles.phases} aria-label="Pulse answers">
        {data.phases.map((phase) => (
          <li key={phase.phase} className={styles.phase}>
            <Text weight="semibold">{PHASE_TEXT[phase.phase]}:</Text>
            <Text>{phaseStatus(phase, data)}</Text>
            {phase.open && (
              <Badge appearance="outline" shape="rounded" color="informative">
                Still collecting
              </Badge>
            )}
          </li>
        ))}
      </ul>
      {anyShown && (
        <ChartOrTable
          describedBy={describedBy}
          chartHeight={300}
          chart={
            <BeforeAfterBars
              title="Team pulse: baseline and after coaching"
              labels={{ before: PHASE_TEXT.baseline, after: PHASE_TEXT.post }}
              range={{ min: 1, max: 5 }}
              groups={statements.map(({ key, statement }) => ({
                name: statement,
                before: phaseMean(baseline, key),
                after: phaseMean(post, key),
              }))}
            />
          }
          table={
            <FigureTable
              caption="Team pulse: average agreement from 1 to 5"
              columns={['Statement', PHASE_TEXT.baseline, PHASE_TEXT.post]}
              rows={statements.map(({ key, statement }) => ({
                key,
                cells: [statement, cell(phaseMean(baseline, key)), cell(phaseMean(post, key))],
              }))}
            />
          }
        />
      )}
    </>
  );
}
