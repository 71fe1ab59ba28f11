import { useEffect, useId, useState } from 'react';
import {
  Button,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { queries } from '../../api/queries';
import type { DirectorySponsor, SponsoredProgramme } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { LoadingBlock } from '../../ui/CenteredStatus';
import { FormDialog, type FieldErrors } from '../../ui/FormDialog';
import { usePutProgramme } from './usePutProgramme';

const useStyles = makeStyles({
  group: { margin: 0, padding: 0, border: 'none', display: 'flex', flexDirection: 'column' },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; sponsors: DirectorySponsor[] };

/** Choose sponsors and the approval rule, then send the proposal. */
export function SubmitDialog({
  programme,
  open,
  onOpenChange,
  onSubmitted,
}: {
  programme: SponsoredProgramme;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmitted: (programme: SponsoredProgramme) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const put = usePutProgramme();
  const legendId = useId();
  // The sponsors are read afresh each time the dialog opens, and kept while it closes (an empty list then would flash "no sponsors").
  const [sponsors, , { refresh, refreshError }] = useLoad({ ...queries.directorySponsors(api), enabled: open });
  const [fresh, setFresh] = useState(false);
  const load: Load =
    refreshError !== null ? { kind: 'error', message: refreshError } : sponsors.kind === 'ready' ? (fresh ? { kind: 'ready', sponsors: sponsors.data } : { kind: 'loading' }) : sponsors;
  const [chosen, setChosen] = useState<string[]>([]);
  const [rule, setRule] = useState<'any' | 'all'>('any');
  const [attempted, setAttempted] = useState(false);

  useEffect(() => {
    if (!open) return;
    setFresh(false);
    void refresh().finally(() => setFresh(true));
    // Start from the sponsors asked last time (after changes were requested).
    setChosen(programme.sponsors.map((s) => s.userId));
    setRule(programme.sponsorRule ?? 'any');
    setAttempted(false);
  }, [open]);

  // Someone asked last time who has since left or lost the sponsor role is not offered, so not sent either.
  const offered = load.kind === 'ready' ? chosen.filter((id) => load.sponsors.some((s) => s.userId === id)) : chosen;
  const dropped = load.kind === 'ready' ? programme.sponsors.filter((s) => chosen.includes(s.userId) && !offered.includes(s.userId)) : [];
  const noneChosen = offered.length === 0;

  return (
    <FormDialog
      open={open}
      title={`Submit ${programme.title} for sponsorship`}
      submitLabel="Submit for sponsorship"
      failureTitle="The programme was not submitted"
      submitDisabled={load.kind !== 'ready'}
      onClose={() => onOpenChange(false)}
      validate={() => {
        setAttempted(true);
        const found: FieldErrors = noneChosen ? { sponsorIds: 'Choose at least one sponsor.' } : {};
        return found;
      }}
      onSubmit={async (signal) => {
        const result = await api.submitProgramme(programme.id, { sponsorIds: offered, rule }, signal);
        put(result.programme);
        onSubmitted(result.programme);
      }}
    >
      {(busy) => (
        <>
          <Text>
            The sponsors you choose are notified in Teams and asked to approve, decline or ask
            for changes.
          </Text>
          {load.kind === 'loading' && <LoadingBlock label="Loading sponsors…" />}
          {load.kind === 'error' && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Sponsors could not be loaded</MessageBarTitle>
                {load.message}
              </MessageBarBody>
              <MessageBarActions>
                <Button onClick={() => void refresh()}>Retry</Button>
              </MessageBarActions>
            </MessageBar>
          )}
          {load.kind === 'ready' && (
            <>
              <fieldset
                className={styles.group}
                aria-labelledby={legendId}
                aria-invalid={attempted && noneChosen}
              >
                <Text as="span" weight="semibold" id={legendId} className={styles.legend}>
                  Sponsors
                </Text>
                {load.sponsors.length === 0 && (
                  <Text>
                    No one has the sponsor role yet. An administrator gives it on the Admin page, or in Entra ID as the
                    Coaching.Sponsor app role: people given it there are listed after the next directory sync, or once they have opened Coaching Pilots.
                  </Text>
                )}
                {dropped.length > 0 && (
                  <MessageBar intent="warning" layout="multiline">
                    <MessageBarBody>
                      {dropped.map((s) => s.name).join(', ')} {dropped.length === 1 ? 'was' : 'were'} asked last time but{' '}
                      {dropped.length === 1 ? 'is' : 'are'} no longer a sponsor (left the organisation, or the sponsor role was
                      removed), so will not be asked again.
                    </MessageBarBody>
                  </MessageBar>
                )}
                {load.sponsors.map((s) => (
                  <Checkbox
                    key={s.userId}
                    label={`${s.name} (${s.email})`}
                    checked={offered.includes(s.userId)}
                    disabled={busy}
                    onChange={(_, data) =>
                      setChosen((c) =>
                        data.checked === true
                          ? [...c, s.userId]
                          : c.filter((id) => id !== s.userId),
                      )
                    }
                  />
                ))}
                {attempted && noneChosen && (
                  <Text role="alert" className={styles.error}>
                    Choose at least one sponsor.
                  </Text>
                )}
              </fieldset>
              <Field label="Who must approve">
                <RadioGroup
                  value={rule}
                  disabled={busy}
                  onChange={(_, data) => setRule(data.value as 'any' | 'all')}
                >
                  <Radio value="any" label="Any one sponsor may approve" />
                  <Radio value="all" label="All sponsors must approve" />
                </RadioGroup>
              </Field>
            </>
          )}
        </>
      )}
    </FormDialog>
  );
}
