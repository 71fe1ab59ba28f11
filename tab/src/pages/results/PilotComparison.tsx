import { Badge, Text } from '@fluentui/react-components';
import type { ImpactResponse } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Loaded } from '../../ui/Loaded';
import { VERDICT_COLOUR, VERDICT_TEXT } from './format';
import { FigureTable, usePartStyles } from './parts';

/** Pilot versus rollout, verdict by verdict, for the metrics either of them was judged by. */
export function PilotComparison({ pilotId, rollout }: { pilotId: string; rollout: ImpactResponse }) {
  const api = useApi();
  const parts = usePartStyles();
  const [pilot, reload] = useLoad(queries.impact(api, pilotId));

  return (
    <Loaded
      load={pilot}
      inline
      loading="Loading pilot's results…"
      failed="The pilot's results could not be loaded"
      onRetry={reload}
    >
      {(data) => {
        const metrics = [...new Set([...data.analyses, ...rollout.analyses].map((a) => a.metric))];
        if (metrics.length === 0) return <Text className={parts.muted}>Neither programme has results yet.</Text>;
        const verdict = (source: ImpactResponse, metric: string) => {
          const analysis = source.analyses.find((a) => a.metric === metric);
          return analysis ? (
            <Badge appearance="tint" shape="rounded" color={VERDICT_COLOUR[analysis.verdict]}>
              {VERDICT_TEXT[analysis.verdict]}
            </Badge>
          ) : (
            'Not measured'
          );
        };
        const label = (metric: string) =>
          [...rollout.analyses, ...data.analyses].find((a) => a.metric === metric)?.label ?? metric;
        return (
          <FigureTable
            caption="Pilot versus rollout"
            numeric={false}
            columns={['Metric', 'Pilot', 'Rollout']}
            rows={metrics.map((metric) => ({
              key: metric,
              cells: [label(metric), verdict(data, metric), verdict(rollout, metric)],
            }))}
          />
        );
      }}
    </Loaded>
  );
}
