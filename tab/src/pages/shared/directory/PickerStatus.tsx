import { makeStyles, mergeClasses, TagPickerOption, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  status: { color: tokens.colorNeutralForeground3, cursor: 'default' },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** The value of a status line in a picker's list: never chosen. */
const STATUS_VALUE = '\u0000status';

/** The chosen values of a picker without its status line (picking it does nothing). */
export function withoutStatus(values: string[]): string[] {
  return values.filter((v) => v !== STATUS_VALUE);
}

/**
 * A picker list's message (searching, nothing found, an error) as an option that cannot be chosen:
 * a listbox may hold only options, and screen readers then read it as the list's one entry.
 */
export function PickerStatus({ children, error }: { children: string; error?: boolean }) {
  const styles = useStyles();
  return (
    <TagPickerOption value={STATUS_VALUE} text="" aria-disabled className={mergeClasses(styles.status, error && styles.error)}>
      {children}
    </TagPickerOption>
  );
}
