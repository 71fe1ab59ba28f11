import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queries';
import type { SessionCheckResponse } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useSettled } from '../../app/useSettled';
import { isKnownTimeZone } from '../../lib/datetime';
import { inputToIso } from '../shared/zonedTime';

/** Waits for a pause in typing before asking. */
const PAUSE_MS = 400;

type Warning = SessionCheckResponse['warnings'][number];
type Planned = { index: number; session: { title: string; startsAt: string; durationMinutes: number; timeZone: string } };
type Checked = { plan: Planned[]; warnings: Warning[] };

/**
 * Calendar warnings for the sessions being planned, by their position in the plan: asked of the
 * API (it knows the organisation's week and the public holidays) once the owner pauses, for the
 * sessions whose start and zone are complete. A failed check shows nothing: it is advice only.
 */
export function useSessionWarnings(
  sessions: readonly { title: string; startsAt: string; timeZone: string; durationMinutes: string }[],
): Map<number, Warning[]> {
  const api = useApi();
  const complete = useMemo(
    () =>
      sessions.flatMap((s, index) => {
        const timeZone = s.timeZone.trim();
        const startsAt = isKnownTimeZone(timeZone) ? inputToIso(s.startsAt, timeZone) : '';
        const durationMinutes = Number(s.durationMinutes);
        return startsAt && Number.isInteger(durationMinutes) && durationMinutes >= 1 && durationMinutes <= 24 * 60
          ? [{ index, session: { title: s.title.trim() || `Session ${index + 1}`, startsAt, durationMinutes, timeZone } }]
          : [];
      }),
    [sessions],
  );
  const settled = useSettled(JSON.stringify(complete), PAUSE_MS);

  const check = useQuery<Checked, Error, Checked, readonly ['session-check', string]>({
    queryKey: keys.sessionCheck(settled),
    queryFn: ({ signal }): Promise<Checked> => {
      const plan = JSON.parse(settled) as Planned[];
      return api.checkSessions({ sessions: plan.map((c) => c.session) }, signal).then(({ warnings }) => ({ plan, warnings }));
    },
    enabled: settled !== '[]',
    // While the next answer comes, the last one stays on screen.
    placeholderData: (previous: Checked | undefined) => previous,
    retry: false,
  });

  return useMemo(() => {
    const byIndex = new Map<number, Warning[]>();
    if (settled === '[]' || !check.data) return byIndex;
    for (const w of check.data.warnings) {
      const at = check.data.plan[w.index]!.index;
      byIndex.set(at, [...(byIndex.get(at) ?? []), w]);
    }
    return byIndex;
  }, [check.data, settled]);
}
