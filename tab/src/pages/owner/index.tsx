import { useEffect, useId, useRef, useState } from 'react';
import { useHashQuery } from '../../app/useHashPath';
import {
  Badge,
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { isEditable, statusColour, statusText } from './labels';
import { ProgrammeDetail } from './ProgrammeDetail';
import { ProgrammeForm } from './ProgrammeForm';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
  },
  introText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '720px', tableLayout: 'auto' },
  row: {
    ':hover': { backgroundColor: 'transparent', color: 'inherit' },
    ':active': { backgroundColor: 'transparent', color: 'inherit' },
  },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  sponsors: { margin: 0, padding: 0, listStyleType: 'none' },
  title: { fontWeight: tokens.fontWeightSemibold, textAlign: 'left' },
});

type View =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'edit'; id: string }
  | { kind: 'detail'; id: string };

/** Each view has its address: `#/owner`, `?view=new`, `?programme=<id>`, `?programme=<id>&view=edit`. */
function viewAt(query: URLSearchParams): View {
  const id = query.get('programme');
  if (query.get('view') === 'new') return { kind: 'new' };
  if (!id) return { kind: 'list' };
  return query.get('view') === 'edit' ? { kind: 'edit', id } : { kind: 'detail', id };
}

function queryOf(view: View): Record<string, string | null> {
  switch (view.kind) {
    case 'list':
      return {};
    case 'new':
      return { view: 'new' };
    case 'edit':
      return { programme: view.id, view: 'edit' };
    case 'detail':
      return { programme: view.id };
  }
}

const DECISION_TEXT = {
  approved: 'approved',
  declined: 'declined',
  changes_requested: 'asked for changes',
} as const;

/** Programme owner home: design programmes, take them through sponsorship and run them. */
export default function OwnerHome({ me }: PageProps) {
  const styles = useStyles();
  const api = useApi();
  const listId = useId();
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [query, go] = useHashQuery();
  const view = viewAt(query);
  /** Moves to another view; `replace` where Back should skip the view left (a form once saved). */
  const setView = (next: View, replace = false) => go(queryOf(next), replace);
  const [announcement, setAnnouncement] = useState('');
  const returnFocus = useRef(false);
  // Changes put the programme they answer with into this list (usePutProgramme).
  const [load, reload] = useLoad(queries.ownedProgrammes(api));

  useEffect(() => {
    if (view.kind === 'list' && returnFocus.current) listHeading.current?.focus();
    returnFocus.current = false;
  }, [view.kind]);

  const announce = (message: string) => {
    // Re-announce identical messages by clearing first.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  };

  const backToList = () => {
    returnFocus.current = true;
    setView({ kind: 'list' });
  };

  const programmes = load.kind === 'ready' ? load.data : [];
  const selected = view.kind === 'detail' || view.kind === 'edit' ? programmes.find((p) => p.id === view.id) : undefined;
  // An address asking to edit what can no longer be edited shows the programme instead.
  const editing = view.kind === 'new' || (view.kind === 'edit' && selected !== undefined && isEditable(selected.status));

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <div className={styles.introText}>
          <Heading level={1}>Programmes</Heading>
          <Text className={styles.muted}>
            Welcome, {me.user.name}. Design coaching pilots and rollouts, win sponsorship, and run
            the cohorts.
          </Text>
        </div>
        {view.kind === 'list' && (
          <div>
            <Button appearance="primary" onClick={() => setView({ kind: 'new' })}>
              New programme
            </Button>{' '}
            <Button as="a" href="#/outcomes">
              Import outcome data
            </Button>{' '}
            <Button as="a" href="#/scenarios">
              Role-play scenarios
            </Button>
          </div>
        )}
      </div>
      <LiveRegion message={announcement} />

      {editing && (
        <ProgrammeForm
          key={selected?.id ?? 'new'}
          programme={selected ?? null}
          onCancel={() => (selected ? setView({ kind: 'detail', id: selected.id }) : backToList())}
          onSaved={(programme, created) => {
            announce(created ? `${programme.title} was saved as a draft.` : `Changes to ${programme.title} were saved.`);
            setView({ kind: 'detail', id: programme.id }, true);
          }}
        />
      )}

      {!editing && (view.kind === 'detail' || view.kind === 'edit') && selected && (
        <ProgrammeDetail
          key={selected.id}
          programme={selected}
          onBack={backToList}
          onEdit={(programme) => setView({ kind: 'edit', id: programme.id })}
          onExpanded={(rollout) => {
            announce(`A draft rollout, ${rollout.title}, was created. Review its design.`);
            setView({ kind: 'edit', id: rollout.id });
          }}
          announce={announce}
        />
      )}
      {(view.kind === 'detail' || view.kind === 'edit') && load.kind !== 'ready' && (
        <Loaded load={load} loading="Loading the programme…" failed="The programme could not be loaded" onRetry={reload}>
          {() => null}
        </Loaded>
      )}
      {(view.kind === 'detail' || view.kind === 'edit') && !selected && load.kind === 'ready' && (
        <MessageBar intent="warning">
          <MessageBarBody>That programme is no longer available.</MessageBarBody>
          <MessageBarActions>
            <Button onClick={backToList}>Back to programmes</Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {view.kind === 'list' && (
        <section className={styles.section} aria-labelledby={listId}>
          <Heading level={2} id={listId} ref={listHeading} tabIndex={-1}>
            Your programmes
          </Heading>
          <Loaded
            load={load}
            loading="Loading your programmes…"
            failed="Your programmes could not be loaded"
            onRetry={reload}
          >
            {(list) =>
              list.length === 0 ? (
                <EmptyState
                  title="No programmes yet"
                  action={
                    <Button appearance="primary" onClick={() => setView({ kind: 'new' })}>
                      Design your first programme
                    </Button>
                  }
                >
                  Start with a small pilot: choose who can enrol, plan the sessions and say how you
                  will measure success.
                </EmptyState>
              ) : (
                <div className={styles.scroll}>
                  <Table aria-labelledby={listId} className={styles.table}>
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Programme</TableHeaderCell>
                        <TableHeaderCell>Kind</TableHeaderCell>
                        <TableHeaderCell>Status</TableHeaderCell>
                        <TableHeaderCell>Sponsors</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {list.map((p) => (
                        <TableRow key={p.id} className={styles.row}>
                          <TableCell className={styles.cell}>
                            <Link
                              as="button"
                              className={styles.title}
                              onClick={() => setView({ kind: 'detail', id: p.id })}
                            >
                              {p.title}
                            </Link>
                          </TableCell>
                          <TableCell className={styles.cell}>{p.kind === 'pilot' ? 'Pilot' : 'Rollout'}</TableCell>
                          <TableCell className={styles.cell}>
                            <Badge appearance="tint" shape="rounded" color={statusColour(p.status)}>
                              {statusText(p.status)}
                            </Badge>
                          </TableCell>
                          <TableCell className={styles.cell}>
                            {p.sponsors.length === 0 ? (
                              <Text className={styles.muted}>None yet</Text>
                            ) : (
                              <ul className={styles.sponsors}>
                                {p.sponsors.map((s) => (
                                  <li key={s.userId}>
                                    {s.name}:{' '}
                                    <Text className={s.decision ? undefined : styles.muted}>
                                      {s.decision ? DECISION_TEXT[s.decision.decision] : s.departed ? 'left the organisation' : 'not decided'}
                                    </Text>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )
            }
          </Loaded>
        </section>
      )}
    </div>
  );
}
