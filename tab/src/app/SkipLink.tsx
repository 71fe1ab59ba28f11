import { makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';

const useStyles = makeStyles({
  link: {
    position: 'absolute',
    left: tokens.spacingHorizontalM,
    top: '-100px',
    zIndex: 100,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForegroundLink,
    border: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    borderRadius: tokens.borderRadiusMedium,
    fontWeight: tokens.fontWeightSemibold,
    ':focus': { top: tokens.spacingVerticalS },
  },
});

/** "Skip to main content", visible only when focused. */
export function SkipLink({ target = 'main' }: { target?: string }) {
  const styles = useStyles();
  return (
    <a className={styles.link} href={`#${target}`} onClick={(event) => {
      // Hash routing owns the fragment, so move focus without touching the address bar.
      event.preventDefault();
      document.getElementById(target)?.focus();
    }}>
      <FormattedMessage id="common.skipToMain" />
    </a>
  );
}
