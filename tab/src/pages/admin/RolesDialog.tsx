import { useEffect, useId, useState } from 'react';
import { Checkbox, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ALL_ROLES, type AdminUser, type AdminUserRoles, type Role } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { FormDialog } from '../../ui/FormDialog';
import { ADMIN_ROLE_LABELS } from './labels';

const useStyles = makeStyles({
  roles: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    margin: 0,
    padding: 0,
    border: 'none',
  },
});

/** Choose the roles one person holds in this organisation. */
export function RolesDialog({
  user,
  onClose,
  onSaved,
}: {
  user: AdminUser | null;
  onClose: () => void;
  onSaved: (user: AdminUserRoles) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const legendId = useId();
  const [roles, setRoles] = useState<Set<Role>>(new Set());
  // Keep the last user on screen while the dialog animates closed.
  const [shown, setShown] = useState<AdminUser | null>(user);

  useEffect(() => {
    if (!user) return;
    setShown(user);
    setRoles(new Set(user.roles));
  }, [user]);

  const toggle = (role: Role, on: boolean) =>
    setRoles((previous) => {
      const next = new Set(previous);
      if (on) next.add(role);
      else next.delete(role);
      return next;
    });

  return (
    <FormDialog
      open={user !== null}
      title={`Roles of ${shown?.name ?? ''}`}
      submitLabel="Save roles"
      failureTitle="The roles were not saved"
      onClose={onClose}
      onSubmit={async (signal) => {
        if (!user) return;
        const { user: saved } = await api.setUserRoles(user.userId, ALL_ROLES.filter((role) => roles.has(role)), signal);
        onSaved(saved);
      }}
    >
      {(busy) => (
        <>
          <Text>
            {shown?.email}
            {shown?.orgUnit ? ` · ${shown.orgUnit}` : ''}
          </Text>
          <fieldset className={styles.roles} aria-labelledby={legendId}>
            <Text as="span" weight="semibold" id={legendId}>
              Roles
            </Text>
            {ALL_ROLES.map((role) => (
              <Checkbox
                key={role}
                label={ADMIN_ROLE_LABELS[role]}
                checked={roles.has(role)}
                disabled={busy}
                onChange={(_, data) => toggle(role, data.checked === true)}
              />
            ))}
          </fieldset>
        </>
      )}
    </FormDialog>
  );
}
