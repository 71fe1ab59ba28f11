import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, makeStyles, MessageBar, MessageBarBody, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { errorMessage } from '../../api/client';
import { keys, queries } from '../../api/queries';
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
  const queryClient = useQueryClient();
  // Quiet on failure: the panel is only shown when there is something to decide.
  const items = useQuery(queries.approvals(api)).data ?? [];
  const [message, setMessage] = useState('');
  const { mutate: decideApproval } = useMutation({
    mutationFn: ({ item, approve }: { item: PendingApproval; approve: boolean }) => api.decideApproval(item.enrolmentId, approve),
    onSuccess: (_, { item, approve }) =>
      setMessage(intl.formatMessage({ id: approve ? 'approvals.approved' : 'approvals.declined' }, { person: item.person, title: item.programmeTitle })),
    onError: (err) => setMessage(errorMessage(err)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.approvals }),
  });
  if (items.length === 0 && !message) return null;
  const decide = (item: PendingApproval, approve: boolean) => decideApproval({ item, approve });
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
