import { Avatar, Badge, Button, Card, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { isRole, type DevUser } from '../../api/types';
import { Heading } from '../../ui/Heading';
import { ROLE_LABEL_IDS } from '../roles';

const useStyles = makeStyles({
  tenant: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: 0,
    listStyleType: 'none',
  },
  card: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr auto',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    '@media (max-width: 560px)': { gridTemplateColumns: 'auto 1fr' },
  },
  details: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  email: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  roles: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
    margin: 0,
    marginTop: tokens.spacingVerticalXS,
    padding: 0,
    listStyleType: 'none',
  },
  action: { '@media (max-width: 560px)': { gridColumn: '1 / -1' } },
});

export interface DevUserListProps {
  /** Grouped by tenant, in display order. */
  tenants: [tenantId: string, group: { name: string; users: DevUser[] }][];
  /** The user being signed in, if any: every button is disabled meanwhile. */
  pending: string | null;
  onSignIn: (user: DevUser) => void;
}


/** The demo users of the development sign-in, as cards (a chunk of its own: development only). */
export function DevUserList({ tenants, pending, onSignIn }: DevUserListProps) {
  const styles = useStyles();
  const intl = useIntl();
  const roleLabel = (role: string) => (isRole(role) ? intl.formatMessage({ id: ROLE_LABEL_IDS[role] }) : role);
  return tenants.map(([tenantId, group]) => (
    <section key={tenantId} className={styles.tenant} aria-labelledby={`tenant-${tenantId}`}>
      <Heading level={2} id={`tenant-${tenantId}`}>
        {group.name}
      </Heading>
      <ul className={styles.list} aria-label={intl.formatMessage({ id: 'signin.dev.usersIn' }, { tenant: group.name })}>
        {group.users.map((user) => (
          <li key={user.id}>
            <Card className={styles.card}>
              <Avatar name={user.name} color="colorful" size={40} aria-hidden="true" />
              <div className={styles.details}>
                <Heading level={3}>{user.name}</Heading>
                <Text size={200} className={styles.email}>
                  {user.email}
                </Text>
                <ul className={styles.roles} aria-label={intl.formatMessage({ id: 'signin.dev.rolesOf' }, { name: user.name })}>
                  {user.roles.map((role) => (
                    <li key={role}>
                      <Badge appearance="outline" color="informative" shape="rounded">
                        {roleLabel(role)}
                      </Badge>
                    </li>
                  ))}
                </ul>
              </div>
              <div className={styles.action}>
                <Button
                  appearance="primary"
                  disabled={pending !== null}
                  onClick={() => onSignIn(user)}
                  icon={pending === user.id ? <Spinner size="tiny" /> : undefined}
                >
                  <FormattedMessage id="signin.dev.signInAs" values={{ name: user.name }} />
                </Button>
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  ));
}
