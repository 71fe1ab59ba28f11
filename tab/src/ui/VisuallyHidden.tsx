import type { ReactNode } from 'react';
import { makeStyles } from '@fluentui/react-components';

const useStyles = makeStyles({
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

/** Text for assistive technology only. */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <span className={styles.hidden}>{children}</span>;
}

/** A polite live region: changes to `message` are announced by screen readers. */
export function LiveRegion({ message }: { message: string }) {
  const styles = useStyles();
  return (
    <div className={styles.hidden} role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
