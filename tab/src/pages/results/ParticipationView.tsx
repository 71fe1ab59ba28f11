import type { Participation } from '../../api/types';
import { HorizontalBars } from './charts';
import { PARTICIPATION_ROWS } from './format';
import { ChartOrTable, FigureTable } from './parts';

function percentOf(value: number, eligible: number): string {
  return eligible > 0 ? `${Math.round((value / eligible) * 100)}%` : '—';
}

/** The enrolment funnel: eligible, enrolled, attended, completed. */
export function ParticipationView({ data, describedBy }: { data: Participation; describedBy: string }) {
  const rows = [
    ...PARTICIPATION_ROWS.map(({ key, label }) => ({
      key,
      cells: [label, data[key], percentOf(data[key], data.eligible)],
    })),
    { key: 'waitlisted', cells: ['On the waiting list', data.waitlisted, percentOf(data.waitlisted, data.eligible)] },
  ];
  return (
    <ChartOrTable
      describedBy={describedBy}
      chartHeight={220}
      chart={
        <HorizontalBars
          title="Participation"
          // The chart draws the first bar at the bottom; reversed, the funnel reads top down.
          bars={PARTICIPATION_ROWS.map(({ key, label }) => ({ label, value: data[key] })).reverse()}
        />
      }
      table={<FigureTable caption="Participation" columns={['Stage', 'People', 'Of eligible']} rows={rows} />}
    />
  );
}
