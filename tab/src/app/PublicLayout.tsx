import type { ReactNode } from 'react';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { SkipLink } from './SkipLink';

const useStyles = makeStyles({
  header: {
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  bar: {
    boxSizing: 'border-box',
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalXS,
    minHeight: '56px',
    maxWidth: '760px',
    margin: '0 auto',
    // Room above and below when a narrow window wraps the public pages' links under the name.
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
  },
  main: {
    boxSizing: 'border-box',
    maxWidth: '760px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    ':focus': { outline: 'none' },
  },
});

/** Frame for the screens shown before sign-in completes, and for the public pages (with their `nav`). */
export function PublicLayout({ nav, children }: { nav?: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <SkipLink />
      <header className={styles.header}>
        <div className={styles.bar}>
          <Text weight="semibold" size={500}>
            Coaching Pilots
          </Text>
          {nav}
        </div>
      </header>
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
    </>
  );
}
