import { useCallback, useEffect, useState } from 'react';
import { Button, Card, makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { errorMessage } from '../../api/client';
import type { PendingApproval } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { Heading } from '../../ui/Heading';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', padding: tokens.spacingVerticalS },
  grow: { flexGrow: 1 },
});

/** Enrolments of the viewer's reports that wait for their approval; shown only when there are some. */
export function ApprovalsPanel() {
  const api = useApi();
  const intl = useIntl();
  const styles = useStyles();
  const [items, setItems] = useState<PendingApproval[]>([]);
  const [message, setMessage] = useState('');
  const load = useCallback(() => {
    api.getPendingApprovals().then((r) => setItems(r.approvals), () => setItems([]));
  }, [api]);
  useEffect(load, [load]);
  if (items.length === 0 && !message) return null;
  const decide = async (item: PendingApproval, approve: boolean) => {
    try {
      await api.decideApproval(item.enrolmentId, approve);
      setMessage(
        intl.formatMessage(
          { id: approve ? 'approvals.approved' : 'approvals.declined' },
          { person: item.person, title: item.programmeTitle },
        ),
      );
      load();
    } catch (err) {
      setMessage(errorMessage(err));
    }
  };
  return (
    <section className={styles.root} aria-labelledby="approvals-heading">
      <Heading level={2} id="approvals-heading">
        <FormattedMessage id="approvals.title" />
      </Heading>
      <div role="status" aria-live="polite">
        {message && (
          <MessageBar>
            <MessageBarBody>{message}</MessageBarBody>
          </MessageBar>
        )}
      </div>
      {items.map((item) => (
        <Card
          key={item.enrolmentId}
          className={styles.row}
          aria-label={intl.formatMessage({ id: 'approvals.asks' }, { person: item.person, title: item.programmeTitle })}
        >
          <Text className={styles.grow}>
            <FormattedMessage
              id="approvals.asks"
              values={{ person: <strong>{item.person}</strong>, title: <strong>{item.programmeTitle}</strong> }}
            />
          </Text>
          <Button
            appearance="primary"
            aria-label={intl.formatMessage({ id: 'approvals.approveNamed' }, { person: item.person })}
            onClick={() => void decide(item, true)}
          >
            <FormattedMessage id="common.approve" />
          </Button>
          <Button
            aria-label={intl.formatMessage({ id: 'approvals.declineNamed' }, { person: item.person })}
            onClick={() => void decide(item, false)}
          >
            <FormattedMessage id="common.decline" />
          </Button>
        </Card>
      ))}
    </section>
  );
}
