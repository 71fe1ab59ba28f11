import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  makeStyles,
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
import { isAbort } from '../../api/client';
import { ALL_ROLES, type AdminUser } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { loadFailed, type Load } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { ADMIN_ROLE_LABELS } from './labels';
import { RolesDialog } from './RolesDialog';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  search: { maxWidth: '360px' },
  tableWrap: { overflowX: 'auto' },
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  status: { justifyContent: 'flex-start' },
});

const SEARCH_DELAY_MS = 300;

/**
 * Who holds which role, with a search and a roles editor per person. Not `useLoad`: a new
 * search keeps the people found so far on screen (marked busy) instead of a spinner.
 */
export function PeopleAndRoles({ onAnnounce }: { onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  const restoreFocus = useRestoreFocusTarget();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [load, setLoad] = useState<Load<AdminUser[]>>({ kind: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const current = useRef<AbortController | null>(null);
  /** The "Edit roles" button that opened the dialog, focused again after saving. */
  const trigger = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(search.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search]);

  const fetchUsers = useCallback(
    async (term: string) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      setRefreshing(true);
      try {
        const { users } = await api.getAdminUsers(term, controller.signal);
        setLoad({ kind: 'ready', data: users });
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        setLoad(loadFailed(error));
      } finally {
        if (current.current === controller) setRefreshing(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchUsers(query);
    return () => current.current?.abort();
  }, [fetchUsers, query]);

  const onSaved = (saved: AdminUser) => {
    setEditing(null);
    setLoad((previous) =>
      previous.kind === 'ready'
        ? {
            kind: 'ready',
            data: previous.data.map((user) => (user.userId === saved.userId ? saved : user)),
          }
        : previous,
    );
    onAnnounce(`Roles of ${saved.name} saved.`);
    window.setTimeout(() => {
      if (trigger.current?.isConnected) trigger.current.focus();
    }, 0);
  };

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        People and roles
      </Heading>
      <Field label="Search people" hint="Name or email" className={styles.search}>
        <Input type="search" value={search} onChange={(_, data) => setSearch(data.value)} />
      </Field>

      <Loaded
        load={load}
        inline
        spinnerClassName={styles.status}
        loading="Loading people…"
        failed="People could not be loaded"
        onRetry={() => void fetchUsers(query)}
      />

      {load.kind === 'ready' && load.data.length === 0 && (
        <Text className={styles.muted}>
          {query ? `No one matches “${query}”.` : 'No people are known to Coaching Pilots yet.'}
        </Text>
      )}

      {load.kind === 'ready' && load.data.length > 0 && (
        <div className={styles.tableWrap}>
          <Table aria-label="People and roles" aria-busy={refreshing} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Email</TableHeaderCell>
                <TableHeaderCell>Org unit</TableHeaderCell>
                <TableHeaderCell>Roles</TableHeaderCell>
                <TableHeaderCell>
                  <span className={styles.muted}>Actions</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {load.data.map((user) => {
                const roles = ALL_ROLES.filter((role) => user.roles.includes(role));
                return (
                  <TableRow key={user.userId}>
                    <TableCell>
                      <Text weight="semibold">{user.name}</Text>
                    </TableCell>
                    <TableCell>{user.email}</TableCell>
                    <TableCell>{user.orgUnit || '—'}</TableCell>
                    <TableCell>
                      {roles.length === 0 ? (
                        <Text className={styles.muted}>No roles</Text>
                      ) : (
                        <ul className={styles.roles}>
                          {roles.map((role) => (
                            <li key={role}>
                              <Badge appearance="tint" color="brand" shape="rounded">
                                {ADMIN_ROLE_LABELS[role]}
                              </Badge>
                            </li>
                          ))}
                        </ul>
                      )}
                    </TableCell>
                    <TableCell>
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
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      <RolesDialog user={editing} onClose={() => setEditing(null)} onSaved={onSaved} />
    </section>
  );
}
