import { ApprovalsPanel } from '../shared/ApprovalsPanel';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
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
  const intl = useIntl();
  const api = useApi();
  const [load, reload] = useLoad(queries.myProgrammes(api));

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>
          <FormattedMessage id="manager.title" />
        </Heading>
        <Text className={styles.muted}>
          <FormattedMessage id="manager.intro" values={{ name: me.user.name }} />
        </Text>
      </div>

      <ApprovalsPanel />

      <PracticeSection userId={me.user.id} />

      <Loaded
        load={load}
        loading={intl.formatMessage({ id: 'manager.loading' })}
        failed={intl.formatMessage({ id: 'manager.loadFailed' })}
        onRetry={reload}
      >
        {(programmes) =>
          programmes.length === 0 ? (
            <EmptyState heading title={intl.formatMessage({ id: 'manager.empty.title' })}>
              <FormattedMessage id="manager.empty.body" />
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
