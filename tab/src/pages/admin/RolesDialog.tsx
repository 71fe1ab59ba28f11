import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { errorMessage, isAbort } from '../../api/client';
import { ALL_ROLES, type AdminUser, type AdminUserRoles, type Role } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { ADMIN_ROLE_LABELS } from './labels';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  roles: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    margin: 0,
    padding: 0,
    border: 'none',
  },
  button: { whiteSpace: 'nowrap' },
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const controller = useRef<AbortController | null>(null);
  // Keep the last user on screen while the dialog animates closed.
  const [shown, setShown] = useState<AdminUser | null>(user);

  useEffect(() => {
    if (!user) return;
    setShown(user);
    setRoles(new Set(user.roles));
    setError(null);
    setBusy(false);
  }, [user]);

  useEffect(() => () => controller.current?.abort(), []);

  const toggle = (role: Role, on: boolean) =>
    setRoles((previous) => {
      const next = new Set(previous);
      if (on) next.add(role);
      else next.delete(role);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user || busy) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setBusy(true);
    setError(null);
    try {
      const chosen = ALL_ROLES.filter((role) => roles.has(role));
      const { user: saved } = await api.setUserRoles(user.userId, chosen, current.signal);
      setBusy(false);
      onSaved(saved);
    } catch (caught) {
      if (isAbort(caught) || current.signal.aborted) return;
      setBusy(false);
      setError(errorMessage(caught));
    }
  };

  return (
    <Dialog
      open={user !== null}
      onOpenChange={(_, data) => {
        if (!data.open && !busy) onClose();
      }}
    >
      <DialogSurface>
        <form onSubmit={(event) => void submit(event)}>
          <DialogBody>
            <DialogTitle>Roles of {shown?.name}</DialogTitle>
            <DialogContent className={styles.content}>
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
              {error && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>The roles were not saved</MessageBarTitle>
                    {error}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="secondary" className={styles.button} disabled={busy}>
                  Cancel
                </Button>
              </DialogTrigger>
              <Button
                type="submit"
                appearance="primary"
                className={styles.button}
                disabled={busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
              >
                Save roles
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
