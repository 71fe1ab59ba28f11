import { useCallback, useEffect, useId, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort } from '../../api/client';
import type { SponsoredProgramme } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { statusColour, statusText } from './labels';
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
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; programmes: SponsoredProgramme[] };

type View =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'edit'; programme: SponsoredProgramme }
  | { kind: 'detail'; id: string };

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
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [view, setView] = useState<View>({ kind: 'list' });
  const [announcement, setAnnouncement] = useState('');
  const current = useRef<AbortController | null>(null);
  const returnFocus = useRef(false);

  const fetchProgrammes = useCallback(
    async (background: boolean) => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      if (!background) setLoad({ kind: 'loading' });
      try {
        const { programmes } = await api.getOwnedProgrammes(controller.signal);
        setLoad({ kind: 'ready', programmes });
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted || background) return;
        setLoad({ kind: 'error', message: errorMessage(error) });
      }
    },
    [api],
  );

  useEffect(() => {
    void fetchProgrammes(false);
    return () => current.current?.abort();
  }, [fetchProgrammes]);

  useEffect(() => {
    if (view.kind === 'list' && returnFocus.current) listHeading.current?.focus();
    returnFocus.current = false;
  }, [view]);

  const announce = (message: string) => {
    // Re-announce identical messages by clearing first.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  };

  /** Puts the changed programme in the list straight away, then refreshes in the background. */
  const upsert = (programme: SponsoredProgramme) => {
    setLoad((l) =>
      l.kind === 'ready'
        ? {
            kind: 'ready',
            programmes: l.programmes.some((p) => p.id === programme.id)
              ? l.programmes.map((p) => (p.id === programme.id ? programme : p))
              : [programme, ...l.programmes],
          }
        : { kind: 'ready', programmes: [programme] },
    );
    void fetchProgrammes(true);
  };

  const backToList = () => {
    returnFocus.current = true;
    setView({ kind: 'list' });
  };

  const programmes = load.kind === 'ready' ? load.programmes : [];
  const selected = view.kind === 'detail' ? programmes.find((p) => p.id === view.id) : undefined;

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
            </Button>
          </div>
        )}
      </div>
      <LiveRegion message={announcement} />

      {(view.kind === 'new' || view.kind === 'edit') && (
        <ProgrammeForm
          key={view.kind === 'edit' ? view.programme.id : 'new'}
          programme={view.kind === 'edit' ? view.programme : null}
          onCancel={() =>
            view.kind === 'edit' ? setView({ kind: 'detail', id: view.programme.id }) : backToList()
          }
          onSaved={(programme, created) => {
            upsert(programme);
            announce(created ? `${programme.title} was saved as a draft.` : `Changes to ${programme.title} were saved.`);
            setView({ kind: 'detail', id: programme.id });
          }}
        />
      )}

      {view.kind === 'detail' && selected && (
        <ProgrammeDetail
          key={selected.id}
          programme={selected}
          onBack={backToList}
          onEdit={(programme) => setView({ kind: 'edit', programme })}
          onChanged={(programme, message) => {
            upsert(programme);
            announce(message);
          }}
          onExpanded={(rollout) => {
            upsert(rollout);
            announce(`A draft rollout, ${rollout.title}, was created. Review its design.`);
            setView({ kind: 'edit', programme: rollout });
          }}
          announce={announce}
        />
      )}
      {view.kind === 'detail' && !selected && load.kind === 'ready' && (
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
          {load.kind === 'loading' && <LoadingBlock label="Loading your programmes…" />}
          {load.kind === 'error' && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Your programmes could not be loaded</MessageBarTitle>
                {load.message}
              </MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => void fetchProgrammes(false)}>Retry</Button>
              </MessageBarActions>
            </MessageBar>
          )}
          {load.kind === 'ready' && programmes.length === 0 && (
            <div className={styles.empty}>
              <Text weight="semibold" size={400}>
                No programmes yet
              </Text>
              <Text className={styles.muted}>
                Start with a small pilot: choose who can enrol, plan the sessions and say how you
                will measure success.
              </Text>
              <Button appearance="primary" onClick={() => setView({ kind: 'new' })}>
                Design your first programme
              </Button>
            </div>
          )}
          {load.kind === 'ready' && programmes.length > 0 && (
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
                  {programmes.map((p) => (
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
                                  {s.decision ? DECISION_TEXT[s.decision.decision] : 'not decided'}
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
          )}
        </section>
      )}
    </div>
  );
}
