import { useEffect, useId, useRef, useState } from 'react';
import {
  Badge,
  Button,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  tokens,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import type { SessionSummary, ProgrammeAction, SponsoredProgramme } from '../../api/types';
import { keys, queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { formatDate, formatDateTime, formatDuration } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { AttendanceDialog } from '../shared/AttendanceDialog';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { JudgedBy } from '../shared/JudgedBy';
import { PulseResults } from '../shared/PulseResults';
import { CohortView } from './CohortView';
import {
  comparisonText,
  isEditable,
  titledWithKind,
  statusColour,
  statusText,
} from './labels';
import { RescheduleDialog } from './RescheduleDialog';
import { SubmitDialog } from './SubmitDialog';
import { usePutProgramme } from './usePutProgramme';
import { COMMITMENT_STATUS_COLOUR, COMMITMENT_STATUS_TEXT } from '../results/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  titleRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  def: { margin: 0, whiteSpace: 'pre-line' },
  muted: { color: tokens.colorNeutralForeground3 },
  plain: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  bullets: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  sponsor: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  sponsorLine: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  commitment: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  quote: { margin: 0, fontStyle: 'italic' },
});

const DECISION_TEXT = {
  approved: 'Approved',
  declined: 'Declined',
  changes_requested: 'Asked for changes',
} as const;
const DECISION_COLOUR = { approved: 'success', declined: 'danger', changes_requested: 'severe' } as const;

const HAS_COHORTS = ['enrolling', 'running', 'completed'];

function goalsText(goals: SponsoredProgramme['goals']): string {
  return Array.isArray(goals) ? goals.join('\n') : (goals ?? '');
}

export interface ProgrammeDetailProps {
  programme: SponsoredProgramme;
  onBack: () => void;
  onEdit: (programme: SponsoredProgramme) => void;
  /** A rollout draft was made from this pilot (and put in the list). */
  onExpanded: (rollout: SponsoredProgramme) => void;
  announce: (message: string) => void;
}

/** One programme: its design, its sponsors, and (once enrolling) its cohorts. */
export function ProgrammeDetail({ programme, onBack, onEdit, onExpanded, announce }: ProgrammeDetailProps) {
  const styles = useStyles();
  const api = useApi();
  const put = usePutProgramme();
  /** The programme changed state: into the list, and `message` is announced. */
  const changed = (next: SponsoredProgramme, message: string) => {
    put(next);
    announce(message);
  };
  const designId = useId();
  const sponsorsId = useId();
  const cohortsId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Dialogs opened from state give focus back to the button that opened them.
  const restoreFocus = useRestoreFocusTarget();
  const [submitOpen, setSubmitOpen] = useState(false);
  const [confirm, setConfirm] = useState<ProgrammeAction | 'open' | 'expand' | null>(null);
  const [attendanceFor, setAttendanceFor] = useState<SessionSummary | null>(null);
  const [rescheduleFor, setRescheduleFor] = useState<SessionSummary | null>(null);
  const [cancelFor, setCancelFor] = useState<SessionSummary | null>(null);

  useEffect(() => headingRef.current?.focus(), [programme.id]);

  const hasApproval = programme.sponsors.some((s) => s.decision?.decision === 'approved');
  const showCohorts = HAS_COHORTS.includes(programme.status);

  // There are commitments only once a sponsor has approved, and cohorts once enrolment opens:
  // until then there is nothing to ask for, and nothing of either is shown.
  const [commitments, reloadCommitments] = useLoad(queries.commitments(api, programme.id), { enabled: hasApproval, otherwise: null });
  const [cohorts, reloadCohorts] = useLoad(queries.cohorts(api, programme.id), { enabled: showCohorts, otherwise: [] });

  /** A state change that tells people (open enrolment, start, complete), run from its confirmation. */
  const runConfirmed = async (action: 'open' | 'start' | 'complete', signal: AbortSignal) => {
    const result = action === 'open' ? await api.openEnrolment(programme.id, signal) : await api.transitionProgramme(programme.id, action, signal);
    const message = {
      open: `Enrolment is open for ${programme.title}. Eligible people can now enrol.`,
      start: `${programme.title} has started.`,
      complete: `${programme.title} is complete.`,
    }[action];
    changed(result.programme, message);
  };
  const participants = cohorts.kind === 'ready' ? cohorts.data.reduce((n, c) => n + c.confirmed.length, 0) : null;
  const participantText = participants === null ? 'the confirmed participants' : `the ${participants} confirmed ${participants === 1 ? 'participant' : 'participants'}`;

  const changeRequests = programme.sponsors.filter(
    (s) => s.decision?.decision === 'changes_requested' || s.decision?.decision === 'declined',
  );
  // Sponsors who left before deciding: why it came back (sent back), or whom it no longer waits for (still proposed).
  const sentBackBy = programme.status === 'changes_requested' ? programme.sponsors.filter((s) => s.leftBeforeDeciding) : [];
  const goneWhileProposed = programme.status === 'proposed' ? programme.sponsors.filter((s) => s.departed && !s.decision) : [];
  const leftUndecided = sentBackBy.length ? sentBackBy : goneWhileProposed;
  const canWithdraw = ['draft', 'proposed', 'sponsored', 'changes_requested', 'enrolling', 'declined'].includes(
    programme.status,
  );

  const commitmentsFor = (userId: string) =>
    commitments.kind === 'ready'
      ? (commitments.data?.sponsors.find((s) => s.userId === userId)?.commitments ?? [])
      : [];

  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <div>
          <Button appearance="subtle" onClick={onBack}>
            Back to programmes
          </Button>
        </div>
        <div className={styles.titleRow}>
          <Heading level={2} ref={headingRef} tabIndex={-1}>
            {programme.title}
          </Heading>
          <Badge size="large" shape="rounded" appearance="tint" color={statusColour(programme.status)}>
            {statusText(programme.status)}
          </Badge>
          <Badge size="large" shape="rounded" appearance="outline" color="informative">
            {programme.kind === 'pilot' ? 'Pilot' : 'Rollout'}
          </Badge>
        </div>
        <div className={styles.actions} role="group" aria-label="Programme actions">
          {isEditable(programme.status) && (
            <>
              <Button appearance="primary" {...restoreFocus} onClick={() => setSubmitOpen(true)}>
                Submit for sponsorship
              </Button>
              <Button onClick={() => onEdit(programme)}>Edit design</Button>
            </>
          )}
          {programme.status === 'sponsored' && (
            <Button appearance="primary" {...restoreFocus} onClick={() => setConfirm('open')}>
              Open enrolment…
            </Button>
          )}
          {programme.status === 'enrolling' && (
            <Button appearance="primary" {...restoreFocus} onClick={() => setConfirm('start')}>
              Start programme…
            </Button>
          )}
          {programme.status === 'running' && (
            <Button appearance="primary" {...restoreFocus} onClick={() => setConfirm('complete')}>
              Complete programme…
            </Button>
          )}
          {programme.status === 'completed' && programme.kind === 'pilot' && (
            <Button appearance="primary" {...restoreFocus} onClick={() => setConfirm('expand')}>
              Expand to a rollout
            </Button>
          )}
          {HAS_COHORTS.includes(programme.status) && (
            <Button as="a" href={`#/results?programme=${encodeURIComponent(programme.id)}`}>
              View results
            </Button>
          )}
          {canWithdraw && (
            <Button {...restoreFocus} onClick={() => setConfirm('withdraw')}>
              Withdraw programme
            </Button>
          )}
        </div>
      </div>

      {changeRequests.length > 0 &&
        (programme.status === 'changes_requested' || programme.status === 'declined') && (
          <MessageBar intent={programme.status === 'declined' ? 'error' : 'warning'} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {programme.status === 'declined'
                  ? 'A sponsor declined this programme'
                  : 'Sponsors asked for changes'}
              </MessageBarTitle>
              <ul className={styles.bullets}>
                {changeRequests.map((s) => (
                  <li key={s.userId}>
                    <Text weight="semibold">{s.name}:</Text> “{s.decision?.reason || 'No reason given.'}”
                  </li>
                ))}
              </ul>
              {programme.status === 'changes_requested' &&
                'Edit the design, then submit it for sponsorship again.'}
            </MessageBarBody>
          </MessageBar>
        )}

      {leftUndecided.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{leftUndecided.map((s) => s.name).join(', ')} left the organisation</MessageBarTitle>
            {sentBackBy.length
              ? 'They can no longer decide on this programme. Choose another sponsor, then submit it for sponsorship again.'
              : programme.sponsorRule === 'any'
                ? 'They can no longer decide on this programme; the other sponsors still can.'
                : 'They can no longer decide on this programme, which needs every sponsor to approve. Withdraw it and propose it again with sponsors who are still here.'}
          </MessageBarBody>
        </MessageBar>
      )}

      <section className={styles.section} aria-labelledby={designId}>
        <Heading level={3} id={designId}>
          Design
        </Heading>
        <div className={styles.card}>
          <dl className={styles.facts}>
            <dt className={styles.term}>Summary</dt>
            <dd className={styles.def}>{programme.summary || '—'}</dd>
            <dt className={styles.term}>Goals</dt>
            <dd className={styles.def}>{goalsText(programme.goals) || '—'}</dd>
            <dt className={styles.term}>Hypothesis</dt>
            <dd className={styles.def}>{programme.hypothesis || '—'}</dd>
            <dt className={styles.term}>Who can enrol</dt>
            <dd className={styles.def}>
              {[
                programme.eligibility.orgUnits.length > 0 && `Org units: ${programme.eligibility.orgUnits.join(', ')}`,
                programme.eligibility.jobLevels.length > 0 && `Job levels: ${programme.eligibility.jobLevels.join(', ')}`,
                programme.eligibility.userIds.length > 0 &&
                  `${programme.eligibility.userIds.length} named ${programme.eligibility.userIds.length === 1 ? 'person' : 'people'}`,
              ]
                .filter(Boolean)
                .join('\n') || 'Anyone in the organisation'}
            </dd>
            <dt className={styles.term}>Capacity</dt>
            <dd className={styles.def}>
              {programme.cohortCount} {programme.cohortCount === 1 ? 'cohort' : 'cohorts'} of{' '}
              {programme.capacityPerCohort}
            </dd>
            <dt className={styles.term}>Enrolment</dt>
            <dd className={styles.def}>
              {programme.enrolmentOpensAt ? formatDateTime(programme.enrolmentOpensAt) : '—'} to{' '}
              {programme.enrolmentClosesAt ? formatDateTime(programme.enrolmentClosesAt) : '—'}
            </dd>
            <dt className={styles.term}>Sessions</dt>
            <dd className={styles.def}>
              {programme.sessions.length === 0 ? (
                '—'
              ) : (
                <ul className={styles.bullets}>
                  {programme.sessions.map((s, i) => (
                    <li key={i}>
                      {titledWithKind(s.kind, s.title)} — {formatDateTime(s.startsAt, s.timeZone)},{' '}
                      {formatDuration(s.durationMinutes)}
                      {s.location ? `, ${s.location}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt className={styles.term}>Success metrics</dt>
            <dd className={styles.def}>
              <JudgedBy programme={programme} />
            </dd>
            <dt className={styles.term}>Compared with</dt>
            <dd className={styles.def}>{comparisonText(programme.comparison)}</dd>
          </dl>
        </div>
      </section>

      <section className={styles.section} aria-labelledby={sponsorsId}>
        <Heading level={3} id={sponsorsId}>
          Sponsors
        </Heading>
        {programme.sponsors.length === 0 ? (
          <Text className={styles.muted}>Not submitted for sponsorship yet.</Text>
        ) : (
          <div className={styles.card}>
            <Text className={styles.muted}>
              {programme.sponsorRule === 'all'
                ? 'All sponsors must approve.'
                : 'Any one sponsor may approve.'}
              {programme.submittedAt && ` Submitted ${formatDate(programme.submittedAt)}.`}
            </Text>
            {commitments.kind === 'error' && (
              <MessageBar intent="error">
                <MessageBarBody>
                  <MessageBarTitle>Commitments could not be loaded</MessageBarTitle>
                  {commitments.message}
                </MessageBarBody>
                <MessageBarActions>
                  <Button onClick={reloadCommitments}>Retry</Button>
                </MessageBarActions>
              </MessageBar>
            )}
            <ul className={styles.plain}>
              {programme.sponsors.map((s) => {
                const list = s.decision?.decision === 'approved' ? commitmentsFor(s.userId) : [];
                return (
                  <li key={s.userId} className={styles.sponsor}>
                    <div className={styles.sponsorLine}>
                      <Text weight="semibold">{s.name}</Text>
                      {s.decision ? (
                        <Badge appearance="tint" shape="rounded" color={DECISION_COLOUR[s.decision.decision]}>
                          {DECISION_TEXT[s.decision.decision]}
                        </Badge>
                      ) : (
                        !s.departed && (
                          <Badge appearance="outline" shape="rounded" color="informative">
                            Not decided yet
                          </Badge>
                        )
                      )}
                      {s.departed && (
                        <Badge appearance="outline" shape="rounded" color="warning">
                          Has left the organisation
                        </Badge>
                      )}
                    </div>
                    {s.decision?.decision === 'approved' && s.decision.commitments?.ownWords && (
                      <blockquote className={styles.quote}>“{s.decision.commitments.ownWords}”</blockquote>
                    )}
                    {s.decision?.decision === 'approved' && commitments.kind === 'loading' && (
                      <Spinner size="tiny" label="Loading commitments…" />
                    )}
                    {list.length > 0 && (
                      <ul className={styles.plain} aria-label={`Commitments of ${s.name}`}>
                        {list.map((c) => (
                          <li key={c.key} className={styles.commitment}>
                            <Badge appearance="tint" shape="rounded" color={COMMITMENT_STATUS_COLOUR[c.status]}>
                              {COMMITMENT_STATUS_TEXT[c.status]}
                            </Badge>
                            <Text>{c.label}</Text>
                            {c.due && <Text className={styles.muted}>due {formatDate(c.due)}</Text>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </section>

      {showCohorts && (
        <section className={styles.section} aria-labelledby={cohortsId}>
          <Heading level={3} id={cohortsId}>
            Cohorts
          </Heading>
          <Loaded load={cohorts} loading="Loading cohorts…" failed="Cohorts could not be loaded" onRetry={reloadCohorts}>
            {(list) =>
              list.length === 0 ? (
                <Text className={styles.muted}>No cohorts yet.</Text>
              ) : (
                list.map((cohort) => (
                  <CohortView
                    key={cohort.id}
                    cohort={cohort}
                    canManageSessions={programme.status !== 'completed'}
                    onRecordAttendance={setAttendanceFor}
                    onReschedule={setRescheduleFor}
                    onCancel={setCancelFor}
                  />
                ))
              )
            }
          </Loaded>
        </section>
      )}

      {(programme.status === 'running' || programme.status === 'completed') && (
        <PulseResults programmeId={programme.id} level={3} />
      )}

      <SubmitDialog
        programme={programme}
        open={submitOpen}
        onOpenChange={setSubmitOpen}
        onSubmitted={(p) => announce(`${p.title} was submitted for sponsorship. The sponsors have been notified.`)}
      />
      <ConfirmDialog
        open={confirm === 'withdraw'}
        title={`Withdraw ${programme.title}?`}
        confirmLabel="Withdraw programme"
        failureTitle="The programme was not withdrawn"
        onOpenChange={(open) => !open && setConfirm(null)}
        onConfirm={async (signal) => {
          const result = await api.transitionProgramme(programme.id, 'withdraw', signal);
          changed(result.programme, `${programme.title} was withdrawn.`);
        }}
      >
        <Text>
          Sponsors and anyone enrolled are told that the programme will not go ahead. This cannot
          be undone.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'open'}
        title={`Open enrolment for ${programme.title}?`}
        confirmLabel="Open enrolment"
        cancelLabel="Not yet"
        failureTitle="Enrolment was not opened"
        onOpenChange={(open) => !open && setConfirm(null)}
        onConfirm={(signal) => runConfirmed('open', signal)}
      >
        <Text>
          Every eligible manager is invited now, in Teams and in their Coaching Pilots inbox, and can enrol until{' '}
          {formatDateTime(programme.enrolmentClosesAt ?? '')}.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'start'}
        title={`Start ${programme.title}?`}
        confirmLabel="Start programme"
        cancelLabel="Not yet"
        failureTitle="The programme was not started"
        onOpenChange={(open) => !open && setConfirm(null)}
        onConfirm={(signal) => runConfirmed('start', signal)}
      >
        <Text>
          Enrolment closes: nobody new can join. The team members of {participantText}, and of the managers they are compared
          with, are sent the baseline team pulse now (anonymous answers, reminded until they answer). This cannot be undone.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'complete'}
        title={`Complete ${programme.title}?`}
        confirmLabel="Complete programme"
        cancelLabel="Not yet"
        failureTitle="The programme was not completed"
        onOpenChange={(open) => !open && setConfirm(null)}
        onConfirm={(signal) => runConfirmed('complete', signal)}
      >
        <Text>
          The programme is marked complete. Later, the team members of {participantText} are sent the follow-up team pulse,
          so the results can compare before and after. This cannot be undone.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'expand'}
        title={`Expand ${programme.title} to a rollout?`}
        confirmLabel="Create rollout draft"
        cancelLabel="Not now"
        failureTitle="The rollout was not created"
        onOpenChange={(open) => !open && setConfirm(null)}
        onConfirm={async (signal) => {
          const result = await api.expandProgramme(programme.id, signal);
          put(result.programme);
          onExpanded(result.programme);
        }}
      >
        <Text>
          A new draft rollout is created from this pilot&apos;s design. You can change it before
          submitting it for sponsorship.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        open={cancelFor !== null}
        title={`Cancel ${cancelFor?.title ?? 'session'}?`}
        confirmLabel="Cancel session"
        cancelLabel="Keep session"
        failureTitle="The session was not cancelled"
        onOpenChange={(open) => !open && setCancelFor(null)}
        invalidates={[keys.programmes.cohorts(programme.id)]}
        onConfirm={async (signal) => {
          if (!cancelFor) return;
          await api.cancelSession(cancelFor.id, signal);
          announce(`${cancelFor.title} was cancelled. Participants will receive a cancellation.`);
        }}
      >
        <Text>Participants and sponsors receive a calendar cancellation for this session.</Text>
      </ConfirmDialog>
      <RescheduleDialog
        session={rescheduleFor}
        onClose={() => setRescheduleFor(null)}
        onSaved={announce}
      />
      <AttendanceDialog
        sessionId={attendanceFor?.id ?? null}
        sessionTitle={attendanceFor?.title ?? ''}
        onClose={() => setAttendanceFor(null)}
        onSaved={announce}
      />
    </div>
  );
}
