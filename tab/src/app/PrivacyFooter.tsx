import { Link, makeStyles, mergeClasses, Spinner, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { saveBlob } from '../lib/download';
import { VisuallyHidden } from '../ui/VisuallyHidden';
import { useApi } from './ApiContext';
import { useFormMutation } from './useFormMutation';

const useStyles = makeStyles({
  footer: {
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  column: {
    boxSizing: 'border-box',
    maxWidth: '1120px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** Keeps `?theme=` on the public pages' links, so they open in the theme the tab shows. */
function publicHref(path: string): string {
  const theme = new URLSearchParams(window.location.search).get('theme');
  return theme === null ? path : `${path}?theme=${encodeURIComponent(theme)}`;
}

/** At the foot of every signed-in page: "Download my data" and the privacy notice and terms. */
export function PrivacyFooter() {
  const styles = useStyles();
  const api = useApi();
  // A download sent as an action: pending, done or failed, aborted if the page goes.
  const download = useFormMutation({
    mutationFn: (_: void, signal) => api.downloadMyData(signal),
    onSuccess: (file) => saveBlob(file.blob, file.fileName),
  });

  return (
    <footer className={styles.footer}>
      <div className={styles.column}>
        <Text className={styles.muted}>
          <FormattedMessage id="footer.yourData" />
        </Text>
        <Link as="button" onClick={() => !download.busy && download.send()} disabledFocusable={download.busy}>
          <FormattedMessage id="footer.download" />
        </Link>
        <Link href={publicHref('/privacy')} target="_blank" rel="noopener noreferrer">
          <FormattedMessage id="footer.privacy" />
          <VisuallyHidden>
            {' '}
            <FormattedMessage id="common.opensInNewTab" />
          </VisuallyHidden>
        </Link>
        <Link href={publicHref('/terms')} target="_blank" rel="noopener noreferrer">
          <FormattedMessage id="footer.terms" />
          <VisuallyHidden>
            {' '}
            <FormattedMessage id="common.opensInNewTab" />
          </VisuallyHidden>
        </Link>
        {/* A visible status line that screen readers announce as it changes. */}
        <Text role="status" size={200} className={mergeClasses(styles.status, download.failure !== null && styles.error)}>
          {download.busy && (
            <>
              <Spinner size="extra-tiny" aria-hidden />
              <FormattedMessage id="footer.preparing" />
            </>
          )}
          {download.done && <FormattedMessage id="footer.downloaded" />}
          {download.failure !== null && <FormattedMessage id="footer.downloadFailed" values={{ reason: download.failure }} />}
        </Text>
      </div>
    </footer>
  );
}
