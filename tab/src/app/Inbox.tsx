import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
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
import { keys, queries } from '../api/queries';
import type { AppNotification, NotificationsResponse } from '../api/types';
import { useFormat } from '../i18n/format';
import { LiveRegion, VisuallyHidden } from '../ui/VisuallyHidden';
import { useApi } from './ApiContext';
import { noticeText } from './noticeText';
import { useLivePoll } from './live';
import { useLoad, type Load } from './useLoad';

/** How often the unread count is refreshed while the live channel is down. */
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
  // A long title wraps beside it; the badge keeps its width.
  newBadge: { flexShrink: 0 },
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

/** The inbox with these notifications read, and the unread count down by as many as were unread. */
function markedRead(inbox: NotificationsResponse, ids: readonly string[]): NotificationsResponse {
  const newlyRead = inbox.notifications.filter((n) => !n.read && ids.includes(n.id)).length;
  return {
    notifications: inbox.notifications.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)),
    unread: Math.max(0, inbox.unread - newlyRead),
  };
}

/** The header's notifications button and the drawer listing them. */
export function Inbox() {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const api = useApi();
  const titleId = useId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const lastUnread = useRef<number | null>(null);
  // The list is only seen in the drawer, which fetches it again when opened. New notices are
  // pushed (live.tsx invalidates the query); the poll is the fallback while the live channel is down.
  const [inbox, reload, { update }] = useLoad({ ...queries.notifications(api), refetchInterval: useLivePoll(POLL_MS) });
  const list = useMemo(
    (): Load<AppNotification[]> => (inbox.kind === 'ready' ? { kind: 'ready', data: inbox.data.notifications } : inbox),
    [inbox],
  );
  /** Null until the first answer, so the first count is not announced as new. */
  const unreadOrNull = inbox.kind === 'ready' ? inbox.data.unread : null;
  const unread = unreadOrNull ?? 0;

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

  // Marked read on screen at once; the server's count follows, and a failure fetches the list again.
  const { mutateAsync: markRead } = useMutation({
    mutationFn: (ids: string[]) => api.markNotificationsRead(ids),
    onMutate: (ids) =>
      update((data) => data && markedRead(data, ids)),
    onSuccess: ({ unread: left }) => update((data) => data && { ...data, unread: left }),
    onError: () => queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });

  const activate = (notification: AppNotification) => {
    if (!notification.read) {
      // Following the link matters more than the read mark.
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
        // Wide enough for a German title beside its close button ("Benachrichtigungen", "Schließen").
        size="medium"
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
              {list.data.map((notification) => {
                const text = noticeText(intl, format.dateTime, notification);
                return (
                  <li key={notification.id} className={styles.item}>
                    <div className={styles.titleRow}>
                      {!notification.read && (
                        <Badge size="small" appearance="tint" color="brand" shape="rounded" className={styles.newBadge}>
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
                        {text.title}
                      </Link>
                    </div>
                    {text.body && <Text size={200}>{text.body}</Text>}
                    <Text size={200} className={styles.muted}>
                      <time
                        dateTime={notification.createdAt}
                        title={format.dateTime(notification.createdAt)}
                      >
                        {format.relative(notification.createdAt)}
                      </time>
                    </Text>
                  </li>
                );
              })}
            </ul>
          )}
        </DrawerBody>
      </OverlayDrawer>
    </>
  );
}
