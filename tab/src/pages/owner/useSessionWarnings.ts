import { useEffect, useMemo, useState } from 'react';
import type { SessionCheckResponse } from '../../api/types';
import { isAbort } from '../../api/client';
import { useApi } from '../../app/ApiContext';
import { isKnownTimeZone } from '../../lib/datetime';
import { inputToIso } from '../shared/zonedTime';

/** Waits for a pause in typing before asking. */
const PAUSE_MS = 400;

type Warning = SessionCheckResponse['warnings'][number];

/**
 * Calendar warnings for the sessions being planned, by their position in the plan: asked of the
 * API (it knows the organisation's week and the public holidays) once the owner pauses, for the
 * sessions whose start and zone are complete. A failed check shows nothing: it is advice only.
 */
export function useSessionWarnings(
  sessions: readonly { title: string; startsAt: string; timeZone: string; durationMinutes: string }[],
): Map<number, Warning[]> {
  const api = useApi();
  const [warnings, setWarnings] = useState<Map<number, Warning[]>>(new Map());
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
  const key = JSON.stringify(complete);

  useEffect(() => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      if (complete.length === 0) return setWarnings(new Map());
      api.checkSessions({ sessions: complete.map((c) => c.session) }, controller.signal).then(
        ({ warnings: found }) => {
          const byIndex = new Map<number, Warning[]>();
          for (const w of found) {
            const at = complete[w.index]!.index;
            byIndex.set(at, [...(byIndex.get(at) ?? []), w]);
          }
          setWarnings(byIndex);
        },
        (error: unknown) => {
          if (!isAbort(error)) setWarnings(new Map());
        },
      );
    }, PAUSE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
    // `key` stands for `complete`'s content.
  }, [api, key]);

  return warnings;
}
