import { useEffect, useId, useRef, useState } from 'react';
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Field,
  Input,
  makeStyles,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import { ALL_ROLES, type AdminUser, type AdminUserRoles, type PeopleWithout } from '../../api/types';
import { keys, queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useHashQuery } from '../../app/useHashPath';
import { useSettled } from '../../app/useSettled';
import { loadFailed, type Load } from '../../app/useLoad';
import { saveBlob } from '../../lib/download';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { VisuallyHidden } from '../../ui/VisuallyHidden';
import { EraseDialog } from './EraseDialog';
import { ADMIN_ROLE_LABELS } from './labels';
import { RolesDialog } from './RolesDialog';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS },
  search: { width: '360px', maxWidth: '100%' },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '900px' },
  stack: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  /** A long role name wraps inside its badge (a badge's fixed height would let it spill out). */
  roleBadge: { height: 'auto', minHeight: '20px', paddingTop: tokens.spacingVerticalXXS, paddingBottom: tokens.spacingVerticalXXS },
  cell: { paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, verticalAlign: 'top' },
  departed: { color: tokens.colorNeutralForeground3 },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { justifyContent: 'flex-start' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
  more: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
});

const SEARCH_DELAY_MS = 300;
const PAGE_SIZE = 50;

interface People {
  users: AdminUser[];
  next: string | null;
}

const peopleText = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** What the list can be narrowed to; in the address (`without=lineManager`), so the directory's figures link to it. */
const SHOWN: { value: PeopleWithout | ''; label: string }[] = [
  { value: '', label: 'Everyone' },
  { value: 'lineManager', label: 'Active people without a line manager' },
];
const withoutOf = (value: string | null): PeopleWithout | null => (SHOWN.find((s) => s.value && s.value === value)?.value || null);


/** "Maria López" → "maria-lopez", for the name of a downloaded file. */
function slug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'person';
}

/**
 * Everyone in the directory with their facts and in-app roles: a debounced search, "Load more"
 * pages (an infinite query), and a roles editor per person.
 */
export function PeopleAndRoles({ selfId, onAnnounce }: { selfId: string; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const restoreFocus = useRestoreFocusTarget();
  const [search, setSearch] = useState('');
  const [address, go] = useHashQuery();
  const without = withoutOf(address.get('without'));
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [erasing, setErasing] = useState<AdminUser | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  /** The "Edit roles" button that opened the dialog, focused again after saving. */
  const trigger = useRef<HTMLButtonElement | null>(null);
  /** The first row of the page "Load more" added, focused so keyboard users carry on from there. */
  const firstNew = useRef<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  const client = useQueryClient();
  const query = useSettled(search.trim(), SEARCH_DELAY_MS);
  // Pages of the search; while a new search runs, the people found so far stay on screen (marked busy).
  const pages = useInfiniteQuery({ ...queries.adminUsers(api, query, PAGE_SIZE, without), placeholderData: keepPreviousData });
  const users: AdminUser[] = [];
  const seen = new Set<string>();
  for (const page of pages.data?.pages ?? []) {
    for (const user of page.users) {
      if (seen.has(user.userId)) continue; // a person who moved between pages while they loaded
      seen.add(user.userId);
      users.push(user);
    }
  }
  const load: Load<People> = pages.data
    ? { kind: 'ready', data: { users, next: pages.hasNextPage ? 'more' : null } }
    : pages.isError
      ? loadFailed(pages.error)
      : { kind: 'loading' };
  const refreshing = pages.isFetching && !pages.isFetchingNextPage;
  const more = { busy: pages.isFetchingNextPage, error: pages.isFetchNextPageError ? errorMessage(pages.error) : null };

  // What a search or the filter found, said once its first page is in.
  const searched = pages.isPlaceholderData ? undefined : pages.data?.pages[0];
  const nobody = query ? `No one ${without ? 'without a line manager ' : ''}matches “${query}”.` : without ? 'Every active person has a line manager.' : null;
  useEffect(() => {
    if (!searched || (!query && !without)) return;
    onAnnounce(searched.users.length === 0 ? (nobody ?? '') : `${peopleText(searched.users.length)}${searched.next ? ' or more' : ''} found.`);
  }, [searched, query, without, nobody, onAnnounce]);

  const loadMore = async () => {
    if (!pages.hasNextPage || pages.isFetchingNextPage) return;
    const before = seen;
    const result = await pages.fetchNextPage();
    if (result.isFetchNextPageError || !result.data) return;
    const added = result.data.pages.at(-1)!.users.filter((u) => !before.has(u.userId));
    firstNew.current = added[0]?.userId ?? null;
    onAnnounce(added.length === 0 ? 'No more people.' : `${peopleText(added.length)} more loaded.`);
  };

  // After "Load more", move focus to the first new person's name so reading carries on from there.
  useEffect(() => {
    const id = firstNew.current;
    if (!id) return;
    firstNew.current = null;
    const cell = tableRef.current?.querySelector<HTMLElement>(`[data-user="${CSS.escape(id)}"]`);
    cell?.focus();
  }, [pages.data]);

  const onSaved = (saved: AdminUserRoles) => {
    setEditing(null);
    // The roles answer may carry fewer facts than the list: keep what the list knew.
    client.setQueryData(queries.adminUsers(api, query, PAGE_SIZE, without).queryKey, (previous) =>
      previous && {
        ...previous,
        pages: previous.pages.map((page) => ({ ...page, users: page.users.map((user) => (user.userId === saved.userId ? { ...user, ...saved, roles: saved.roles } : user)) })),
      },
    );
    onAnnounce(`Roles of ${saved.name} saved.`);
    window.setTimeout(() => {
      if (trigger.current?.isConnected) trigger.current.focus();
    }, 0);
  };

  // A download, not a change, but sent as an action like one: pending, failed, aborted if sent again.
  const exportData = useFormMutation({
    mutationFn: (user: AdminUser, signal) => api.downloadPersonData(user.userId, signal),
    onSuccess: (file, user) => {
      saveBlob(file.blob, `${slug(user.name)}-${file.fileName}`);
      onAnnounce(`${user.name}'s data downloaded.`);
    },
    onError: (error, user) => onAnnounce(`${user.name}'s data could not be downloaded. ${errorMessage(error)}`),
  });
  /** The person whose data is being exported, or whose export failed, and why. */
  const exporting =
    exportData.variables && (exportData.busy || exportData.failure) ? { userId: exportData.variables.userId, busy: exportData.busy, error: exportData.failure } : null;

  const onEraseClosed = (erased: boolean) => {
    setErasing(null);
    // The erased person's row has no actions left to go back to: the list's heading takes focus.
    if (erased) window.setTimeout(() => headingRef.current?.focus(), 0);
  };

  const people = load.kind === 'ready' ? load.data.users : [];

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={2} id={headingId} ref={headingRef} tabIndex={-1}>
        People and roles
      </Heading>
      <div className={styles.filters}>
        <Field label="Search people" hint="The start of a name or an email address" className={styles.search}>
          <Input
            type="search"
            value={search}
            onChange={(_, data) => setSearch(data.value)}
            contentAfter={refreshing && load.kind === 'ready' ? <Spinner size="extra-tiny" aria-label="Searching" /> : undefined}
          />
        </Field>
        <Field label="Show" className={styles.search} hint={without === 'lineManager' ? "They are in no manager's team pulse, and their enrolments skip line-manager approval" : undefined}>
          <Select value={without ?? ''} onChange={(_, data) => go({ section: 'people', without: withoutOf(data.value) }, true)}>
            {SHOWN.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <Loaded
        load={load}
        inline
        spinnerClassName={styles.status}
        loading="Loading people…"
        failed="People could not be loaded"
        onRetry={() => void pages.refetch()}
      />

      {load.kind === 'ready' && people.length === 0 && (
        <Text className={styles.muted}>
          {nobody ?? 'No people are known to Coaching Pilots yet. Sync the directory or import the HR file.'}
        </Text>
      )}

      {load.kind === 'ready' && people.length > 0 && (
        <div className={styles.tableWrap}>
          <Table ref={tableRef} className={styles.table} aria-label="People and roles" aria-busy={refreshing} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Org unit</TableHeaderCell>
                <TableHeaderCell>Job level</TableHeaderCell>
                <TableHeaderCell>Line manager</TableHeaderCell>
                <TableHeaderCell>Time zone</TableHeaderCell>
                <TableHeaderCell>Roles</TableHeaderCell>
                <TableHeaderCell>
                  <span className={styles.muted}>Actions</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {people.map((user) => {
                // A Global Administrator is an admin by Entra's word, not by a role held here (the roles editor leaves it out).
                const roles = ALL_ROLES.filter((role) => user.roles.includes(role) || (role === 'admin' && user.globalAdmin));
                if (user.erased) return <ErasedRow key={user.userId} userId={user.userId} />;
                const exportState = exporting?.userId === user.userId ? exporting : null;
                return (
                  <TableRow key={user.userId}>
                    <TableCell className={styles.cell}>
                      <div className={styles.stack}>
                        <Text
                          weight="semibold"
                          className={user.departed ? styles.departed : undefined}
                          data-user={user.userId}
                          tabIndex={-1}
                        >
                          {user.name}
                        </Text>
                        <Text size={200} className={styles.muted}>
                          {user.email || 'No email'}
                        </Text>
                        {user.departed && (
                          <Badge appearance="outline" color="informative" shape="rounded" size="small">
                            {user.departureSource === 'hr' ? 'Left (HR file)' : user.departureSource === 'directory' ? 'Left (Entra)' : 'Departed'}
                          </Badge>
                        )}
                      </div>
                    </TableCell>
                    <TableCell className={styles.cell}>{user.orgUnit || <Dash />}</TableCell>
                    <TableCell className={styles.cell}>{user.jobLevel || <Dash />}</TableCell>
                    <TableCell className={styles.cell}>
                      {user.lineManagerName || (user.lineManagerId ? <Text className={styles.muted}>Not in the directory</Text> : <Dash />)}
                    </TableCell>
                    <TableCell className={styles.cell}>
                      {user.timeZone ? user.timeZone.replace(/_/g, ' ') : <Text className={styles.muted}>Default</Text>}
                    </TableCell>
                    <TableCell className={styles.cell}>
                      {roles.length === 0 ? (
                        <Text className={styles.muted}>No roles</Text>
                      ) : (
                        <ul className={styles.roles}>
                          {roles.map((role) => (
                            <li key={role}>
                              <Badge appearance="tint" color="brand" shape="rounded" className={styles.roleBadge}>
                                {ADMIN_ROLE_LABELS[role]}
                              </Badge>
                            </li>
                          ))}
                        </ul>
                      )}
                      {user.rolesFromEntra && (
                        <Text size={200} className={styles.muted}>
                          {user.managerByDirectory ? (roles.length > 1 ? 'Manager as a line manager in the directory; the others assigned in Entra ID' : 'Manager as a line manager in the directory') : 'Assigned in Entra ID'}
                        </Text>
                      )}
                      {user.globalAdmin && (
                        <Text size={200} className={styles.muted}>
                          Admin as the organisation&apos;s Global Administrator in Entra ID (at their last sign-in)
                        </Text>
                      )}
                    </TableCell>
                    <TableCell className={styles.cell}>
                      <div className={styles.actions}>
                        {/* Entra's app roles win at sign-in, so roles edited here would not take effect. */}
                        {!user.rolesFromEntra && (
                          <Button
                            {...restoreFocus}
                            size="small"
                            aria-label={`Edit roles of ${user.name}`}
                            onClick={(event) => {
                              trigger.current = event.currentTarget;
                              setEditing(user);
                            }}
                          >
                            Edit roles
                          </Button>
                        )}
                        {/* The data actions share one menu: three buttons would not fit the column. */}
                        <Menu>
                          <MenuTrigger disableButtonEnhancement>
                            <MenuButton
                              {...restoreFocus}
                              size="small"
                              aria-label={`Data of ${user.name}`}
                              disabled={exportState?.busy}
                              icon={exportState?.busy ? <Spinner size="extra-tiny" /> : undefined}
                            >
                              Data
                            </MenuButton>
                          </MenuTrigger>
                          <MenuPopover>
                            <MenuList>
                              <MenuItem
                                onClick={() => {
                                  exportData.send(user);
                                  onAnnounce(`Preparing ${user.name}'s data…`);
                                }}
                              >
                                Export data
                              </MenuItem>
                              {/* Nobody erases themselves (the API refuses): another admin can. */}
                              {user.userId !== selfId && <MenuItem onClick={() => setErasing(user)}>Erase…</MenuItem>}
                            </MenuList>
                          </MenuPopover>
                        </Menu>
                      </div>
                      {exportState?.error && (
                        <Text size={200} className={styles.error}>
                          Not downloaded: {exportState.error}
                        </Text>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      {more.error && (
        <MessageBar intent="error">
          <MessageBarBody>More people could not be loaded. {more.error}</MessageBarBody>
        </MessageBar>
      )}

      {load.kind === 'ready' && people.length > 0 && (
        <div className={styles.more}>
          <Text className={styles.muted}>
            Showing {peopleText(people.length)}
            {load.data.next ? '' : query || without ? ' (all matches)' : ' (everyone)'}.
          </Text>
          {load.data.next && (
            <Button
              disabled={more.busy}
              icon={more.busy ? <Spinner size="tiny" /> : undefined}
              onClick={() => void loadMore()}
            >
              Load more
            </Button>
          )}
        </div>
      )}

      <RolesDialog user={editing} onClose={() => setEditing(null)} onSaved={onSaved} />
      <EraseDialog user={erasing} onClose={onEraseClosed} onErased={() => void client.invalidateQueries({ queryKey: keys.admin.users() })} onAnnounce={onAnnounce} />
    </section>
  );
}

/** An erased person: a greyed placeholder with no facts and no actions. */
function ErasedRow({ userId }: { userId: string }) {
  const styles = useStyles();
  return (
    <TableRow>
      <TableCell className={styles.cell}>
        <div className={styles.stack}>
          <Text weight="semibold" className={styles.departed} data-user={userId} tabIndex={-1}>
            Erased person
          </Text>
          <Badge appearance="outline" color="informative" shape="rounded" size="small">
            Erased
          </Badge>
        </div>
      </TableCell>
      {[1, 2, 3, 4, 5].map((n) => (
        <TableCell key={n} className={styles.cell}>
          <Dash />
        </TableCell>
      ))}
      <TableCell className={styles.cell}>
        <Text className={styles.muted}>No actions</Text>
      </TableCell>
    </TableRow>
  );
}

/** An empty cell, named for screen readers. */
function Dash() {
  return (
    <>
      <span aria-hidden>—</span>
      <VisuallyHidden>Not known</VisuallyHidden>
    </>
  );
}
