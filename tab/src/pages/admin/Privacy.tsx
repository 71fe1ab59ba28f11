import { useId } from 'react';
import { Divider, makeStyles, Text, tokens } from '@fluentui/react-components';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { OrganisationDeletion } from './OrganisationDeletion';
import { RetentionForm } from './RetentionForm';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  muted: { color: tokens.colorNeutralForeground3, maxWidth: '720px' },
  status: { justifyContent: 'flex-start' },
});

/** The organisation's retention periods, the last purge, and the deletion of all its data. */
export function Privacy({ tenantName, onAnnounce }: { tenantName: string; onAnnounce: (message: string) => void }) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId();
  // The forms below put what the API answers in this query's data.
  const [load, reload] = useLoad(queries.adminPrivacy(api));

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        Privacy
      </Heading>
      <Text className={styles.muted}>
        A person’s own data is exported or erased from People and roles. Everyone can download their own data from the
        link at the foot of every page.
      </Text>
      <Loaded
        load={load}
        inline
        spinnerClassName={styles.status}
        loading="Loading privacy settings…"
        failed="The privacy settings could not be loaded"
        onRetry={reload}
      >
        {(data) => (
          <>
            <RetentionForm data={data} onAnnounce={onAnnounce} />
            <Divider />
            <OrganisationDeletion
              tenantName={tenantName}
              deletion={data.deletion}
              waitDays={data.deletionWaitDays}
              onAnnounce={onAnnounce}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
