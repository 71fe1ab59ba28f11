import type { ReactNode } from 'react';
import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { Heading } from './Heading';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  page: { padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXL}` },
  section: { padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}` },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** A dashed box saying there is nothing here yet, and what will appear. */
export function EmptyState({
  title,
  heading = false,
  action,
  children,
}: {
  title: string;
  /**
   * The title is a heading of its own, with more room around it: for a page with nothing to
   * show. Without it the title is bold text under the heading of the section it is in.
   */
  heading?: boolean;
  action?: ReactNode;
  /** What will appear here, and when. */
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <div className={mergeClasses(styles.root, heading ? styles.page : styles.section)}>
      {heading ? (
        <Heading level={2}>{title}</Heading>
      ) : (
        <Text weight="semibold" size={400}>
          {title}
        </Text>
      )}
      <Text className={styles.muted}>{children}</Text>
      {action}
    </div>
  );
}
