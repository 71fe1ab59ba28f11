import { ApprovalsPanel } from '../shared/ApprovalsPanel';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import type { PageProps } from '../types';
import { PracticeSection } from './PracticeSection';
import { ProgrammeCard } from './ProgrammeCard';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
});

/** Manager home: the programmes I can join, my enrolment in each, and my schedule. */
export default function ManagerHome({ me }: PageProps) {
  const styles = useStyles();
  const api = useApi();
  const [load, reload] = useLoad(queries.myProgrammes(api));

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>My coaching programmes</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Enrol in a programme, follow your request and see your
          schedule here.
        </Text>
      </div>

      <ApprovalsPanel />

      <PracticeSection userId={me.user.id} />

      <Loaded
        load={load}
        loading="Loading your programmes…"
        failed="Your programmes could not be loaded"
        onRetry={reload}
      >
        {(programmes) =>
          programmes.length === 0 ? (
            <EmptyState heading title="No coaching programmes are open to you right now">
              When a sponsored pilot or rollout opens for enrolment, it will appear here and you
              will be notified in Teams.
            </EmptyState>
          ) : (
            <div className={styles.list}>
              {programmes.map((programme) => (
                <ProgrammeCard
                  key={programme.id}
                  programme={programme}
                />
              ))}
            </div>
          )
        }
      </Loaded>
    </div>
  );
}
