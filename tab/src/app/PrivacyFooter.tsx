import { useEffect, useRef, useState } from 'react';
import { Link, makeStyles, mergeClasses, Spinner, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import { errorMessage, isAbort } from '../api/client';
import { saveBlob } from '../lib/download';
import { VisuallyHidden } from '../ui/VisuallyHidden';
import { useApi } from './ApiContext';

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

type Download = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** At the foot of every signed-in page: "Download my data" and the privacy notice and terms. */
export function PrivacyFooter() {
  const styles = useStyles();
  const api = useApi();
  const [download, setDownload] = useState<Download>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const downloadMyData = async () => {
    if (download.kind === 'busy') return;
    const current = new AbortController();
    controller.current = current;
    setDownload({ kind: 'busy' });
    try {
      const file = await api.downloadMyData(current.signal);
      if (current.signal.aborted) return;
      saveBlob(file.blob, file.fileName);
      setDownload({ kind: 'done' });
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setDownload({ kind: 'failed', message: errorMessage(caught) });
    }
  };

  return (
    <footer className={styles.footer}>
      <div className={styles.column}>
        <Text className={styles.muted}>
          <FormattedMessage id="footer.yourData" />
        </Text>
        <Link as="button" onClick={() => void downloadMyData()} disabledFocusable={download.kind === 'busy'}>
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
        <Text role="status" size={200} className={mergeClasses(styles.status, download.kind === 'failed' && styles.error)}>
          {download.kind === 'busy' && (
            <>
              <Spinner size="extra-tiny" aria-hidden />
              <FormattedMessage id="footer.preparing" />
            </>
          )}
          {download.kind === 'done' && <FormattedMessage id="footer.downloaded" />}
          {download.kind === 'failed' && (
            <FormattedMessage id="footer.downloadFailed" values={{ reason: download.message }} />
          )}
        </Text>
      </div>
    </footer>
  );
}
