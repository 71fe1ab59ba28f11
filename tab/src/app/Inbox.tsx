import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  Badge,
  Button,
  CounterBadge,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Link,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  OverlayDrawer,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { errorMessage } from '../api/client';
import type { AppNotification } from '../api/types';
import { useFormat } from '../i18n/format';
import { LiveRegion, VisuallyHidden } from '../ui/VisuallyHidden';
import { useApi } from './ApiContext';
import { useUserLive } from './live';
import { useLoad } from './useLoad';

/** How often the unread count is refreshed. */
const POLL_MS = 20_000;

const useStyles = makeStyles({
  count: { marginLeft: tokens.spacingHorizontalXS },
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingBottom: tokens.spacingVerticalM,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  list: {
    display: 'flex',
    flexDirection: 'column',
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalM} 0`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  titleRow: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  link: { textAlign: 'start' },
  unread: { fontWeight: tokens.fontWeightSemibold },
  read: { fontWeight: tokens.fontWeightRegular },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalXXL} 0`,
    textAlign: 'center',
  },
});

/** Sends the tab to a notification's hash route, e.g. "#/feedback?request=r1"; an empty link goes nowhere. */
function follow(link: string): void {
  if (!link) return;
  const hash = link.startsWith('#') ? link : `#${link.startsWith('/') ? '' : '/'}${link}`;
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** The header's notifications button and the drawer listing them. */
export function Inbox() {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const api = useApi();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  /** Null until the first answer, so the first count is not announced as new. */
  const [unreadOrNull, setUnread] = useState<number | null>(null);
  const unread = unreadOrNull ?? 0;
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const lastUnread = useRef<number | null>(null);
  // The list is only seen in the drawer, which reloads it when opened; a poll keeps the count
  // (and an open list) up to date and stays quiet on failure.
  const [list, reload, { refresh, update }] = useLoad(
    useCallback(
      async (signal: AbortSignal) => {
        const response = await api.getNotifications(signal);
        // Kept apart from the list so the button keeps its count while the list reloads.
        setUnread(response.unread);
        return response.notifications;
      },
      [api],
    ),
  );

  // New notices are pushed; the poll is the fallback while the live channel is down.
  const live = useUserLive();
  const pushed = live.state === 'live';
  useEffect(() => {
    const offNotice = live.on('notice', () => void refresh());
    const offHello = live.on('hello', () => void refresh());
    const timer = pushed ? undefined : window.setInterval(() => void refresh(), POLL_MS);
    return () => {
      offNotice();
      offHello();
      window.clearInterval(timer);
    };
  }, [refresh, live, pushed]);

  // Announce new notifications that arrive while the tab is open (not the first count).
  useEffect(() => {
    if (unreadOrNull === null) return;
    if (lastUnread.current !== null && unreadOrNull > lastUnread.current) {
      setAnnouncement(intl.formatMessage({ id: 'inbox.announceUnread' }, { count: unreadOrNull }));
    }
    lastUnread.current = unreadOrNull;
  }, [unreadOrNull, intl]);

  const openDrawer = () => {
    setActionError(null);
    setOpen(true);
    reload();
  };

  const markRead = (ids: string[]) => {
    update((notifications) =>
      notifications?.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)),
    );
    return api.markNotificationsRead(ids).then(({ unread: left }) => setUnread(left));
  };

  const activate = (notification: AppNotification) => {
    if (!notification.read) {
      setUnread((count) => Math.max(0, (count ?? 0) - 1));
      // Following the link matters more than the read mark; a failure is caught up by the next poll.
      markRead([notification.id]).catch(() => undefined);
    }
    setOpen(false);
    follow(notification.link);
  };

  const markAll = async () => {
    if (list.kind !== 'ready') return;
    const ids = list.data.filter((n) => !n.read).map((n) => n.id);
    if (ids.length === 0) return;
    setBusy(true);
    setActionError(null);
    try {
      await markRead(ids);
      setAnnouncement(intl.formatMessage({ id: 'inbox.allRead' }));
    } catch (error) {
      setActionError(errorMessage(error));
      void refresh();
    } finally {
      setBusy(false);
    }
  };

  const hasUnread = list.kind === 'ready' && list.data.some((n) => !n.read);

  return (
    <>
      <LiveRegion message={announcement} />
      <Button
        appearance="subtle"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={openDrawer}
      >
        <FormattedMessage id="inbox.title" />
        {/* The count is read from this text (the badge is only its picture), so the name begins with what is shown. */}
        {unread > 0 && (
          <VisuallyHidden>{` ${intl.formatMessage({ id: 'inbox.unreadCount' }, { count: unread })}`}</VisuallyHidden>
        )}
        {unread > 0 && (
          <CounterBadge
            className={styles.count}
            count={unread}
            overflowCount={99}
            size="small"
            color="danger"
            aria-hidden
          />
        )}
      </Button>
      <OverlayDrawer
        position="end"
        open={open}
        onOpenChange={(_, data) => setOpen(data.open)}
        aria-labelledby={titleId}
      >
        <DrawerHeader>
          <DrawerHeaderTitle
            heading={{ id: titleId }}
            action={
              <Button appearance="subtle" onClick={() => setOpen(false)}>
                <FormattedMessage id="common.close" />
              </Button>
            }
          >
            <FormattedMessage id="inbox.title" />
          </DrawerHeaderTitle>
        </DrawerHeader>
        <DrawerBody>
          <div className={styles.toolbar}>
            <Text className={styles.muted}>
              {unread === 0 ? (
                <FormattedMessage id="inbox.noneUnread" />
              ) : (
                <FormattedMessage id="inbox.unreadCount" values={{ count: unread }} />
              )}
            </Text>
            <Button
              appearance="secondary"
              size="small"
              disabled={!hasUnread || busy}
              onClick={() => void markAll()}
            >
              <FormattedMessage id="inbox.markAllRead" />
            </Button>
          </div>

          {actionError && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>{actionError}</MessageBarBody>
            </MessageBar>
          )}

          {list.kind === 'loading' && <Spinner size="small" label={intl.formatMessage({ id: 'inbox.loading' })} />}

          {list.kind === 'error' && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>{list.message}</MessageBarBody>
              <MessageBarActions>
                <Button onClick={reload}>
                  <FormattedMessage id="common.retry" />
                </Button>
              </MessageBarActions>
            </MessageBar>
          )}

          {list.kind === 'ready' && list.data.length === 0 && (
            <div className={styles.empty}>
              <Text weight="semibold">
                <FormattedMessage id="inbox.empty.title" />
              </Text>
              <Text className={styles.muted}>
                <FormattedMessage id="inbox.empty.body" />
              </Text>
            </div>
          )}

          {list.kind === 'ready' && list.data.length > 0 && (
            <ul className={styles.list} aria-label={intl.formatMessage({ id: 'inbox.list' })}>
              {list.data.map((notification) => (
                <li key={notification.id} className={styles.item}>
                  <div className={styles.titleRow}>
                    {!notification.read && (
                      <Badge size="small" appearance="tint" color="brand" shape="rounded">
                        <FormattedMessage id="inbox.new" />
                      </Badge>
                    )}
                    <Link
                      as="button"
                      className={mergeClasses(
                        styles.link,
                        notification.read ? styles.read : styles.unread,
                      )}
                      onClick={() => activate(notification)}
                    >
                      {notification.title}
                    </Link>
                  </div>
                  {notification.body && <Text size={200}>{notification.body}</Text>}
                  <Text size={200} className={styles.muted}>
                    <time
                      dateTime={notification.createdAt}
                      title={format.dateTime(notification.createdAt)}
                    >
                      {format.relative(notification.createdAt)}
                    </time>
                  </Text>
                </li>
              ))}
            </ul>
          )}
        </DrawerBody>
      </OverlayDrawer>
    </>
  );
}
