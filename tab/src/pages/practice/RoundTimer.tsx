import { useEffect, useState } from 'react';
import { makeStyles, Text } from '@fluentui/react-components';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { plural } from './words';

const useStyles = makeStyles({
  clock: { fontVariantNumeric: 'tabular-nums' },
});

/** True from the moment `endsAt` passes (or at once when it has), re-checked when it changes. */
export function useTimeUp(endsAt: string | null): boolean {
  const [, setTick] = useState(0);
  const due = endsAt ? Date.parse(endsAt) : null;
  useEffect(() => {
    if (due === null) return;
    const wait = due - Date.now();
    if (wait <= 0) return;
    // setTimeout caps its delay near 24.8 days; rounds last minutes.
    const timer = window.setTimeout(() => setTick((n) => n + 1), wait + 50);
    return () => window.clearTimeout(timer);
  }, [due]);
  return due !== null && Date.now() >= due;
}

function clock(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Counts down to the end of a round. Screen readers hear the minute marks and the end, not every
 * second: the role="timer" element is not live, and the live region only changes once a minute.
 */
export function RoundTimer({ endsAt, endedEarly }: { endsAt: string; endedEarly: boolean }) {
  const styles = useStyles();
  const [now, setNow] = useState(() => Date.now());
  const left = Date.parse(endsAt) - now;
  const running = !endedEarly && left > 0;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const shown = endedEarly ? 'Round ended' : running ? `${clock(left)} left` : 'Time is up';
  const heard = endedEarly ? 'Round ended' : running ? `${plural(Math.ceil(left / 60_000), 'minute')} left` : 'Time is up';
  return (
    <>
      <Text weight="semibold" role={running ? 'timer' : undefined} className={styles.clock}>
        {shown}
      </Text>
      <LiveRegion message={heard} />
    </>
  );
}
