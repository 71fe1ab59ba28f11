import { useEffect, useId, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import type { Cohort, Programme } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { isPast } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { ScheduleTable } from './ScheduleTable';
import { cohortName, StatusBadge } from './status';
import type { EnrolmentModel } from './useEnrolment';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  statusRow: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  progress: { justifyContent: 'flex-start' },
  dialogButton: { whiteSpace: 'nowrap' },
});

function seatsLeft(cohort: Cohort): number {
  return Math.max(cohort.capacity - cohort.seatsTaken, 0);
}

function cohortOption(intl: IntlShape, cohort: Cohort): string {
  const left = seatsLeft(cohort);
  if (left === 0) return intl.formatMessage({ id: 'manager.enrol.cohortFull' }, { cohort: cohortName(intl, cohort) });
  return intl.formatMessage(
    { id: 'manager.enrol.cohortSeats' },
    { cohort: cohortName(intl, cohort), left, capacity: cohort.capacity },
  );
}

/** Enrol, follow the request, see the schedule, withdraw; `model` is the card's (useEnrolment). */
export function EnrolmentPanel({ programme, model }: { programme: Programme; model: EnrolmentModel }) {
  const styles = useStyles();
  const intl = useIntl();
  const format = useFormat();
  const { state } = model;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [focusAfterChange, setFocusAfterChange] = useState(0);

  const defaultCohort =
    programme.cohorts.find((cohort) => seatsLeft(cohort) > 0) ?? programme.cohorts[0];
  const [cohortId, setCohortId] = useState(defaultCohort?.id ?? '');
  const chosenCohort = programme.cohorts.find((cohort) => cohort.id === cohortId) ?? defaultCohort;

  // The control that was used disappears after an action, so focus moves to this section.
  useEffect(() => {
    if (focusAfterChange > 0) heading.current?.focus();
  }, [focusAfterChange]);

  const active =
    state !== null && (state.status === 'awaiting_approval' || state.status === 'requested' || state.status === 'confirmed' || state.status === 'waitlisted');
  // A programme that has started takes nobody new, whatever its closing date said.
  const started = programme.status !== 'enrolling';
  const closed = started || isPast(programme.enrolmentClosesAt);
  const canEnrol = !active && state?.status !== 'completed';
  const myCohort = state ? programme.cohorts.find((cohort) => cohort.id === state.cohortId) : undefined;

  const enrol = async () => {
    if (!chosenCohort) return;
    if (await model.enrol(chosenCohort.id)) setFocusAfterChange((n) => n + 1);
  };

  const withdraw = async () => {
    if (await model.withdraw()) {
      setConfirmOpen(false);
      setFocusAfterChange((n) => n + 1);
    }
  };

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <Heading level={3} id={headingId} ref={heading} tabIndex={-1}>
        <FormattedMessage id="manager.enrol.title" />
      </Heading>
      <LiveRegion message={model.announcement} />

      {state ? (
        <div className={styles.statusRow}>
          <Text>
            <FormattedMessage id="manager.enrol.status" />
          </Text>
          <StatusBadge state={state} />
          {myCohort && active && <Text className={styles.muted}>{cohortName(intl, myCohort)}</Text>}
        </div>
      ) : (
        <Text className={styles.muted}>
          <FormattedMessage id="manager.enrol.notEnrolled" />
        </Text>
      )}

      {state?.status === 'requested' && (
        <Spinner
          className={styles.progress}
          size="extra-tiny"
          labelPosition="after"
          label={intl.formatMessage({ id: model.slow ? 'manager.enrol.slow' : 'manager.enrol.confirming' })}
        />
      )}
      {model.pollError && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <FormattedMessage id="manager.enrol.pollFailed" values={{ reason: model.pollError }} />
          </MessageBarBody>
        </MessageBar>
      )}
      {state?.status === 'waitlisted' && (
        <Text>
          <FormattedMessage id="manager.enrol.waitlisted" />
        </Text>
      )}
      {state?.status === 'withdrawn' && canEnrol && !closed && (
        <Text className={styles.muted}>
          <FormattedMessage id="manager.enrol.canEnrolAgain" />
        </Text>
      )}
      {state?.status === 'completed' && (
        <Text>
          <FormattedMessage id="manager.enrol.completed" />
        </Text>
      )}

      {state?.status === 'confirmed' &&
        (model.sessions ? (
          <ScheduleTable sessions={model.sessions} />
        ) : model.scheduleError ? (
          <MessageBar intent="error">
            <MessageBarBody>
              <FormattedMessage id="manager.enrol.scheduleFailed" values={{ reason: model.scheduleError }} />
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={model.reloadSchedule}>
                <FormattedMessage id="common.retry" />
              </Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <Spinner
            className={styles.progress}
            size="tiny"
            labelPosition="after"
            label={intl.formatMessage({ id: 'manager.enrol.loadingSchedule' })}
          />
        ))}

      {model.actionError && !confirmOpen && (
        <MessageBar intent="error">
          <MessageBarBody>{model.actionError}</MessageBarBody>
        </MessageBar>
      )}

      {canEnrol &&
        (closed ? (
          <Text>
            {started ? (
              <FormattedMessage id="manager.enrol.closedStarted" />
            ) : (
              <FormattedMessage
                id="manager.enrol.closedOn"
                values={{ date: format.dateTime(programme.enrolmentClosesAt ?? '') }}
              />
            )}
          </Text>
        ) : programme.cohorts.length === 0 ? (
          <Text>
            <FormattedMessage id="manager.enrol.noCohorts" />
          </Text>
        ) : (
          <>
            {programme.cohorts.length > 1 && (
              <Field label={intl.formatMessage({ id: 'manager.enrol.cohort' })}>
                <RadioGroup value={chosenCohort?.id} onChange={(_, data) => setCohortId(data.value)}>
                  {programme.cohorts.map((cohort) => (
                    <Radio key={cohort.id} value={cohort.id} label={cohortOption(intl, cohort)} />
                  ))}
                </RadioGroup>
              </Field>
            )}
            {programme.cohorts.length === 1 && chosenCohort && seatsLeft(chosenCohort) === 0 && (
              <Text>
                <FormattedMessage id="manager.enrol.fullJoinWaitlist" />
              </Text>
            )}
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={model.busy !== null}
                icon={model.busy === 'enrol' ? <Spinner size="tiny" /> : undefined}
                onClick={() => void enrol()}
              >
                <FormattedMessage id="manager.enrol.enrol" />
              </Button>
            </div>
          </>
        ))}

      {active && (
        <div className={styles.actions}>
          <Dialog
            open={confirmOpen}
            onOpenChange={(_, data) => {
              if (model.busy !== 'withdraw') setConfirmOpen(data.open);
            }}
          >
            <DialogTrigger disableButtonEnhancement>
              <Button disabled={model.busy !== null}>
                <FormattedMessage id="manager.enrol.withdraw" />
              </Button>
            </DialogTrigger>
            <DialogSurface>
              <DialogBody>
                <DialogTitle>
                  <FormattedMessage id="manager.withdraw.title" values={{ title: programme.title }} />
                </DialogTitle>
                <DialogContent>
                  <FormattedMessage
                    id={state?.status === 'waitlisted' ? 'manager.withdraw.leaveWaitlist' : 'manager.withdraw.placeOffered'}
                  />{' '}
                  <FormattedMessage id="manager.withdraw.enrolAgain" />
                  {model.actionError && (
                    <MessageBar intent="error">
                      <MessageBarBody>{model.actionError}</MessageBarBody>
                    </MessageBar>
                  )}
                </DialogContent>
                <DialogActions>
                  <DialogTrigger disableButtonEnhancement>
                    <Button
                      appearance="secondary"
                      className={styles.dialogButton}
                      disabled={model.busy === 'withdraw'}
                    >
                      <FormattedMessage id="manager.withdraw.keep" />
                    </Button>
                  </DialogTrigger>
                  <Button
                    appearance="primary"
                    className={styles.dialogButton}
                    disabled={model.busy === 'withdraw'}
                    icon={model.busy === 'withdraw' ? <Spinner size="tiny" /> : undefined}
                    onClick={() => void withdraw()}
                  >
                    <FormattedMessage id="manager.withdraw.confirm" />
                  </Button>
                </DialogActions>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        </div>
      )}
    </section>
  );
}
