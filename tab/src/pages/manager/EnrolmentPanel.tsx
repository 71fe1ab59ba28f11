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
import type { Cohort, Programme } from '../../api/types';
import { formatDateTime, isPast } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import { ScheduleTable } from './ScheduleTable';
import { StatusBadge } from './status';
import { useEnrolment } from './useEnrolment';

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

function cohortOption(cohort: Cohort): string {
  const left = seatsLeft(cohort);
  if (left === 0) return `${cohort.name}: full, you would join the waitlist`;
  return `${cohort.name}: ${left} of ${cohort.capacity} ${left === 1 ? 'seat' : 'seats'} free`;
}

/** Enrol, follow the request, see the schedule, withdraw. */
export function EnrolmentPanel({ programme }: { programme: Programme }) {
  const styles = useStyles();
  const model = useEnrolment(programme);
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
        Your enrolment
      </Heading>
      <LiveRegion message={model.announcement} />

      {state ? (
        <div className={styles.statusRow}>
          <Text>Status:</Text>
          <StatusBadge state={state} />
          {myCohort && active && <Text className={styles.muted}>{myCohort.name}</Text>}
        </div>
      ) : (
        <Text className={styles.muted}>You are not enrolled in this programme.</Text>
      )}

      {state?.status === 'requested' && (
        <Spinner
          className={styles.progress}
          size="extra-tiny"
          labelPosition="after"
          label={
            model.slow
              ? 'This is taking longer than usual. You can leave this page; Coaching Pilots will notify you in Teams when your place is decided.'
              : 'Confirming your place…'
          }
        />
      )}
      {model.pollError && (
        <MessageBar intent="warning">
          <MessageBarBody>Your status could not be checked. {model.pollError}</MessageBarBody>
        </MessageBar>
      )}
      {state?.status === 'waitlisted' && (
        <Text>
          This cohort is full. If a seat becomes free you will move into it automatically and be
          notified.
        </Text>
      )}
      {state?.status === 'withdrawn' && canEnrol && !closed && (
        <Text className={styles.muted}>You can enrol again while enrolment is open.</Text>
      )}
      {state?.status === 'completed' && <Text>You have completed this programme.</Text>}

      {state?.status === 'confirmed' &&
        (model.sessions ? (
          <ScheduleTable sessions={model.sessions} />
        ) : model.scheduleError ? (
          <MessageBar intent="error">
            <MessageBarBody>Your schedule could not be loaded. {model.scheduleError}</MessageBarBody>
            <MessageBarActions>
              <Button onClick={model.reloadSchedule}>Retry</Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <Spinner
            className={styles.progress}
            size="tiny"
            labelPosition="after"
            label="Loading your schedule…"
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
            {started
              ? 'Enrolment is closed: this programme has started and takes no new participants.'
              : `Enrolment closed on ${formatDateTime(programme.enrolmentClosesAt ?? '')}.`}
          </Text>
        ) : programme.cohorts.length === 0 ? (
          <Text>No cohorts are open for enrolment yet.</Text>
        ) : (
          <>
            {programme.cohorts.length > 1 && (
              <Field label="Cohort">
                <RadioGroup value={chosenCohort?.id} onChange={(_, data) => setCohortId(data.value)}>
                  {programme.cohorts.map((cohort) => (
                    <Radio key={cohort.id} value={cohort.id} label={cohortOption(cohort)} />
                  ))}
                </RadioGroup>
              </Field>
            )}
            {programme.cohorts.length === 1 && chosenCohort && seatsLeft(chosenCohort) === 0 && (
              <Text>This cohort is full. If you enrol, you join the waitlist.</Text>
            )}
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={model.busy !== null}
                icon={model.busy === 'enrol' ? <Spinner size="tiny" /> : undefined}
                onClick={() => void enrol()}
              >
                Enrol
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
              <Button disabled={model.busy !== null}>Withdraw</Button>
            </DialogTrigger>
            <DialogSurface>
              <DialogBody>
                <DialogTitle>Withdraw from {programme.title}?</DialogTitle>
                <DialogContent>
                  {state?.status === 'waitlisted'
                    ? 'You will leave the waitlist.'
                    : 'Your place will be offered to the next person on the waitlist.'}{' '}
                  You can enrol again later if enrolment is still open and seats are free.
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
                      Keep my place
                    </Button>
                  </DialogTrigger>
                  <Button
                    appearance="primary"
                    className={styles.dialogButton}
                    disabled={model.busy === 'withdraw'}
                    icon={model.busy === 'withdraw' ? <Spinner size="tiny" /> : undefined}
                    onClick={() => void withdraw()}
                  >
                    Yes, withdraw
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
