import { makeStyles, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { EmptyState } from '../../ui/EmptyState';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { ApprovalsPanel } from '../shared/ApprovalsPanel';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '760px' },
});

/**
 * `#/approvals`, where an approval notice leads: open to anyone, since an approver need not be a
 * manager in the app (a line manager's own manager decides once they have left).
 */
export default function ApprovalsPage() {
  const styles = useStyles();
  const intl = useIntl();
  const api = useApi();
  const [load, reload] = useLoad(queries.approvals(api));
  return (
    <div className={styles.root}>
      <Heading level={1}>
        <FormattedMessage id="page.approvals" />
      </Heading>
      <Loaded
        load={load}
        loading={intl.formatMessage({ id: 'approvals.loading' })}
        failed={intl.formatMessage({ id: 'approvals.loadFailed' })}
        onRetry={reload}
      />
      {load.kind === 'ready' && load.data.length === 0 && (
        <EmptyState heading title={intl.formatMessage({ id: 'approvals.empty.title' })}>
          <FormattedMessage id="approvals.empty.body" />
        </EmptyState>
      )}
      <ApprovalsPanel />
    </div>
  );
}
