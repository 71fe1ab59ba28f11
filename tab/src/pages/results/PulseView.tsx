import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ResultsPulsePhase, ResultsPulseResponse } from '../../api/types';
import { BeforeAfterBars } from './charts';
import { num, PHASE_TEXT, PULSE_STATEMENTS } from './format';
import { ChartOrTable, FigureTable, usePartStyles } from './parts';

const useStyles = makeStyles({
  phases: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXL, margin: 0, padding: 0, listStyleType: 'none' },
  phase: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

function phaseMean(phase: ResultsPulsePhase | undefined, key: (typeof PULSE_STATEMENTS)[number]['key']): number | null {
  return phase && !phase.suppressed && phase.means ? phase.means[key] : null;
}

function phaseStatus(phase: ResultsPulsePhase, minGroupSize: number): string {
  const answers = `${phase.n} ${phase.n === 1 ? 'answer' : 'answers'}`;
  if (phase.suppressed || !phase.means) {
    return `${answers} — fewer than ${minGroupSize} answers, hidden to protect anonymity`;
  }
  return answers;
}

/** Team members' anonymous pulse, baseline versus after coaching. */
export function PulseView({ data, describedBy }: { data: ResultsPulseResponse; describedBy: string }) {
  const styles = useStyles();
  const parts = usePartStyles();
  const baseline = data.phases.find((p) => p.phase === 'baseline');
  const post = data.phases.find((p) => p.phase === 'post');
  if (data.phases.length === 0) {
    return <Text className={parts.muted}>No pulse has been sent yet.</Text>;
  }
  const anyShown = PULSE_STATEMENTS.some(({ key }) => phaseMean(baseline, key) !== null || phaseMean(post, key) !== null);
  const cell = (value: number | null) => (value === null ? 'Hidden' : num(value));

  return (
    <>
      <ul className={styles.phases} aria-label="Pulse answers">
        {data.phases.map((phase) => (
          <li key={phase.phase} className={styles.phase}>
            <Text weight="semibold">{PHASE_TEXT[phase.phase]}:</Text>
            <Text>{phaseStatus(phase, data.minGroupSize)}</Text>
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
              yMaxValue={5}
              groups={PULSE_STATEMENTS.map(({ key, label }) => ({
                name: label,
                before: phaseMean(baseline, key),
                after: phaseMean(post, key),
              }))}
            />
          }
          table={
            <FigureTable
              caption="Team pulse: average agreement from 1 to 5"
              columns={['Statement', PHASE_TEXT.baseline, PHASE_TEXT.post]}
              rows={PULSE_STATEMENTS.map(({ key, label }) => ({
                key,
                cells: [label, cell(phaseMean(baseline, key)), cell(phaseMean(post, key))],
              }))}
            />
          }
        />
      )}
    </>
  );
}
