import { useId, useRef, useState, type MouseEvent } from 'react';
import {
  Button,
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { errorMessage } from '../../api/client';
import type { Scenario } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { useLoad } from '../../app/useLoad';
import { putByKey } from '../../lib/lists';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { ScenarioCard } from './ScenarioCard';
import { ScenarioDialog, type ScenarioDialogMode } from './ScenarioDialog';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', justifyContent: 'space-between', gap: tokens.spacingHorizontalL },
  introText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '760px' },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 420px), 1fr))',
    gap: tokens.spacingHorizontalL,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  item: { display: 'flex', flexDirection: 'column', '> *': { flexGrow: 1 } },
});

/** Who may use the library: the people who run practice rooms (the API's rule too). */
const MAY_USE = ['owner', 'coach'] as const;

/** `#/scenarios`: the role-play scenario library for programme owners and coaches. */
export default function ScenariosPage({ me }: PageProps) {
  const styles = useStyles();
  const back = me.roles.includes('owner') ? (
    <Link href="#/owner">← Back to programmes</Link>
  ) : me.roles.includes('coach') ? (
    <Link href="#/coach">← Back to your sessions</Link>
  ) : null;
  if (!MAY_USE.some((r) => me.roles.includes(r))) {
    return (
      <div className={styles.root}>
        <Heading level={1}>Role-play scenarios</Heading>
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>For programme owners and coaches</MessageBarTitle>
            The scenario library is where the people who run practice rooms choose and write role-play scenarios. Your roles do not include it.
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  return (
    <div className={styles.root}>
      {back}
      <Library />
    </div>
  );
}

function Library() {
  const styles = useStyles();
  const api = useApi();
  const ownId = useId();
  const builtInId = useId();
  const restoreFocus = useRestoreFocusTarget();
  const [load, reload, { update, refresh }] = useLoad(queries.scenarios(api));
  const [dialog, setDialog] = useState<ScenarioDialogMode | null>(null);
  const [announcement, setAnnouncement] = useState('');
  /** The button that opened the dialog: focus goes back to it, also after its card re-renders. */
  const trigger = useRef<HTMLButtonElement | null>(null);
  /** Where focus goes when that button is gone (the empty state's, once the first scenario is added). */
  const ownHeading = useRef<HTMLHeadingElement>(null);

  const announce = (message: string) => {
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  };

  const open = (mode: ScenarioDialogMode) => (event: MouseEvent<HTMLButtonElement>) => {
    trigger.current = event.currentTarget;
    setDialog(mode);
  };
  const close = () => {
    setDialog(null);
    window.setTimeout(() => {
      if (trigger.current?.isConnected) trigger.current.focus();
      else ownHeading.current?.focus();
    }, 0);
  };

  const put = (scenario: Scenario) => update((data) => data && { scenarios: putByKey(data.scenarios, scenario) });

  const archive = useFormMutation({
    mutationFn: ({ scenario, archived }: { scenario: Scenario; archived: boolean }, signal) => api.changeScenario(scenario.key, { archived }, signal),
    onSaved: ({ scenario }) => put(scenario),
    onSuccess: ({ scenario: saved }, { archived }) =>
      announce(archived ? `${saved.title} archived: it can no longer be chosen for new practice rooms.` : `${saved.title} restored: it can be chosen again.`),
    onError: (caught, { scenario, archived }) => announce(`${scenario.title} was not ${archived ? 'archived' : 'restored'}. ${errorMessage(caught)}`),
  });
  /** The scenario being archived or restored, or whose last attempt failed, and why. */
  const archiving = archive.variables && (archive.busy || archive.failure) ? { key: archive.variables.scenario.key, busy: archive.busy, error: archive.failure } : null;

  const scenarios = load.kind === 'ready' ? load.data.scenarios : [];
  const addButton = (label: string) => (
    <Button {...restoreFocus} appearance="primary" disabled={load.kind !== 'ready'} onClick={open({ kind: 'add' })}>
      {label}
    </Button>
  );

  return (
    <>
      <div className={styles.intro}>
        <div className={styles.introText}>
          <Heading level={1}>Role-play scenarios</Heading>
          <Text className={styles.muted}>
            The situations managers practise in practice rooms. Each has a situation everyone reads, a brief for the manager practising, and a
            private brief for the partner, which the person practising never sees.
          </Text>
          <Text className={styles.muted}>
            The built-in scenarios come with Coaching Pilots and cannot be changed. Add your organisation’s own; archived ones cannot be chosen
            for new practice rooms, and can be restored. Changes are recorded in the audit trail.
          </Text>
        </div>
        {addButton('Add scenario')}
      </div>
      <LiveRegion message={announcement} />
      <Loaded load={load} loading="Loading the scenario library…" failed="The scenario library could not be loaded" onRetry={reload}>
        {(data) => {
          const own = [...data.scenarios.filter((s) => !s.builtIn)].sort((a, b) => Number(a.archived) - Number(b.archived));
          const builtIn = data.scenarios.filter((s) => s.builtIn);
          const archivedCount = own.filter((s) => s.archived).length;
          return (
            <>
              <section className={styles.section} aria-labelledby={ownId}>
                <Heading level={2} id={ownId} ref={ownHeading} tabIndex={-1}>
                  Your organisation’s scenarios
                </Heading>
                {own.length === 0 ? (
                  <EmptyState title="No scenarios of your own yet" action={addButton('Add your first scenario')}>
                    Write one about a conversation your managers find hard, such as a request you cannot grant.
                  </EmptyState>
                ) : (
                  <>
                    <Text className={styles.muted}>
                      {own.length - archivedCount} active
                      {archivedCount > 0 ? `, ${archivedCount} archived` : ''}.
                    </Text>
                    <ul className={styles.grid}>
                      {own.map((s) => (
                        <li key={s.key} className={styles.item}>
                          <ScenarioCard
                            scenario={s}
                            archiving={archiving?.key === s.key ? archiving : null}
                            onEdit={open({ kind: 'edit', scenario: s })}
                            onArchive={() => archive.send({ scenario: s, archived: !s.archived })}
                          />
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </section>
              <section className={styles.section} aria-labelledby={builtInId}>
                <Heading level={2} id={builtInId}>
                  Built-in scenarios
                </Heading>
                <Text className={styles.muted}>
                  Written for Coaching Pilots about the shift from directing to coaching. They are read-only: to change one, add a scenario of your
                  own from it.
                </Text>
                <ul className={styles.grid}>
                  {builtIn.map((s) => (
                    <li key={s.key} className={styles.item}>
                      <ScenarioCard scenario={s} archiving={null} />
                    </li>
                  ))}
                </ul>
              </section>
            </>
          );
        }}
      </Loaded>
      <ScenarioDialog
        mode={dialog}
        taken={scenarios}
        onClose={close}
        onStale={() => void refresh()}
        onSaved={(saved, added) => {
          put(saved);
          announce(added ? `${saved.title} was added to the scenario library.` : `Changes to ${saved.title} were saved.`);
        }}
      />
    </>
  );
}
