import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import type { MarkersBody, RatingBody, RoomView, RoundView } from '../../api/types';
import { useApi } from '../../app/ApiContext';
import { useFormMutation } from '../../app/useFormMutation';
import { MARKER_LABELS, MARKERS, PARTNER_RATING_LABELS, type Marker, type Tally } from '../../../../service/src/domain/practice';
import { Heading } from '../../ui/Heading';
import { AGREEMENT, isScore, scoreLabel, ScaleQuestion, type Score } from '../feedback/ScaleQuestion';
import { LiveFigures } from './LiveFigures';
import { nameOf } from './words';

const NOTE_MAX = 1000;

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground2 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '640px' },
  fieldset: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0, border: 'none', minWidth: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0, padding: 0, listStyleType: 'none' },
  item: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  // One width for both words, so the markers line up.
  seen: { minWidth: '104px', justifyContent: 'center', flexShrink: 0 },
  pairs: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  pair: { display: 'contents' },
  term: { color: tokens.colorNeutralForeground2 },
  definition: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  quote: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, margin: 0 },
  note: {
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorNeutralStroke1}`,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

function Card({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.card} aria-labelledby={id}>
      <div className={styles.head}>
        <Heading level={2} id={id}>
          {title}
        </Heading>
        {intro && <Text className={styles.muted}>{intro}</Text>}
      </div>
      {children}
    </section>
  );
}

/** How the last send went: `failed` and the reason, or `sent` once it succeeded. */
function Outcome({ send, sent, failed }: { send: { done: boolean; failure: string | null }; sent: string; failed: string }) {
  if (send.failure) {
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>{`${failed} ${send.failure}`}</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <Text role="status" aria-live="polite">
      {send.done ? sent : ''}
    </Text>
  );
}

/** The partner's two ratings of the round, 1–5; a second answer replaces the first. */
export function PartnerRating({ room, round, onSaved }: { room: RoomView; round: RoundView; onSaved: (room: RoomView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const [ownAnswer, setOwnAnswer] = useState<Score | null>(round.rating ? isScore(String(round.rating.ownAnswer)) : null);
  const [heard, setHeard] = useState<Score | null>(round.rating ? isScore(String(round.rating.heard)) : null);
  const [tried, setTried] = useState(false);
  const rate = useFormMutation({
    mutationFn: (rating: RatingBody) => api.rateRound(room.id, rating),
    onSaved: (answer) => onSaved(answer.room),
  });
  const practising = nameOf(room, round.practisingId);
  const given = round.rating !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (ownAnswer === null || heard === null) return;
    rate.send({ round: round.index, ownAnswer, heard });
  };

  return (
    <Card title="Rate this round" intro={`How did the conversation feel to you? ${practising} sees your answers.`}>
      <form className={styles.form} aria-label="Rate this round" noValidate onSubmit={submit}>
        <ScaleQuestion
          label={PARTNER_RATING_LABELS.ownAnswer}
          labels={AGREEMENT}
          value={ownAnswer}
          onChange={setOwnAnswer}
          error={tried && ownAnswer === null ? 'Choose how much you agree.' : undefined}
        />
        <ScaleQuestion
          label={PARTNER_RATING_LABELS.heard}
          labels={AGREEMENT}
          value={heard}
          onChange={setHeard}
          error={tried && heard === null ? 'Choose how much you agree.' : undefined}
        />
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={rate.busy} icon={rate.busy ? <Spinner size="tiny" /> : undefined}>
            {given ? 'Update ratings' : 'Send ratings'}
          </Button>
          <Outcome send={rate} sent={`Thank you. ${practising} can see your ratings.`} failed="Your ratings were not sent." />
        </div>
      </form>
    </Card>
  );
}

/** The observer's end-of-round markers and a note for the person practising; a second answer replaces the first. */
export function ObserverMarkers({ room, round, onSaved }: { room: RoomView; round: RoundView; onSaved: (room: RoomView) => void }) {
  const styles = useStyles();
  const api = useApi();
  const legendId = useId();
  const [ticked, setTicked] = useState<Marker[]>(round.markers ?? []);
  const [note, setNote] = useState(round.note);
  const mark = useFormMutation({
    mutationFn: (answer: MarkersBody) => api.markRound(room.id, answer),
    onSaved: (answer) => onSaved(answer.room),
  });
  const practising = nameOf(room, round.practisingId);
  const given = round.markers !== null;
  const tooLong = note.trim().length > NOTE_MAX;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (tooLong) return;
    mark.send({ round: round.index, markers: ticked, note: note.trim() });
  };

  return (
    <Card title="What you observed" intro={`Tick what ${practising} did in this round, and add a note if you like. ${practising} sees both.`}>
      <form className={styles.form} aria-label="What you observed" noValidate onSubmit={submit}>
        <fieldset className={styles.fieldset} aria-labelledby={legendId}>
          <legend id={legendId} className={styles.legend}>
            {`What ${practising} did`}
          </legend>
          {MARKERS.map((m) => (
            <Checkbox
              key={m}
              label={MARKER_LABELS[m]}
              checked={ticked.includes(m)}
              onChange={(_, data) => setTicked((list) => (data.checked ? [...list.filter((x) => x !== m), m] : list.filter((x) => x !== m)))}
            />
          ))}
        </fieldset>
        <Field
          label={`Note for ${practising} (optional)`}
          validationState={tooLong ? 'error' : 'none'}
          validationMessage={tooLong ? `Keep the note to ${NOTE_MAX} characters.` : `${note.trim().length} of ${NOTE_MAX} characters`}
        >
          <Textarea value={note} resize="vertical" onChange={(_, data) => setNote(data.value)} />
        </Field>
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={mark.busy || tooLong} icon={mark.busy ? <Spinner size="tiny" /> : undefined}>
            {given ? 'Update markers' : `Send to ${practising}`}
          </Button>
          <Outcome send={mark} sent={`Sent. ${practising} can see your markers and note.`} failed="Your markers were not sent." />
        </div>
      </form>
    </Card>
  );
}

/**
 * The round as the person practising (and the coach) reads it afterwards: the figures, the
 * partner's ratings and the observer's markers and note as they arrive.
 */
export function RoundSummary({ room, round, tally }: { room: RoomView; round: RoundView; tally: Tally }) {
  const styles = useStyles();
  const partner = nameOf(room, round.partnerId);
  const observers = round.observerIds.map((id) => nameOf(room, id)).join(' and ');
  const you = room.myRole === 'practising';
  return (
    <Card
      title={`Round ${round.index + 1} summary`}
      intro={`${you ? 'Your' : `${nameOf(room, round.practisingId)}'s`} round: ${round.scenario.title}.`}
    >
      <LiveFigures tally={tally} />
      <div className={styles.block}>
        <Heading level={3}>{`${partner}'s ratings`}</Heading>
        {round.rating ? (
          <dl className={styles.pairs}>
            {(['ownAnswer', 'heard'] as const).map((k) => {
              const score = isScore(String(round.rating![k]));
              return (
                <div key={k} className={styles.pair}>
                  <dt className={styles.term}>{PARTNER_RATING_LABELS[k]}</dt>
                  <dd className={styles.definition}>{score ? scoreLabel(score, AGREEMENT) : String(round.rating![k])}</dd>
                </div>
              );
            })}
          </dl>
        ) : (
          <Text className={styles.muted}>{`Waiting for ${partner} to rate the round.`}</Text>
        )}
      </div>
      <div className={styles.block}>
        <Heading level={3}>{`What ${observers} observed`}</Heading>
        {round.markers ? (
          <>
            <ul className={styles.list}>
              {MARKERS.map((m) => {
                const seen = round.markers!.includes(m);
                return (
                  <li key={m} className={styles.item}>
                    <Badge className={styles.seen} appearance={seen ? 'filled' : 'outline'} shape="rounded" color={seen ? 'success' : 'informative'}>
                      {seen ? 'Observed' : 'Not observed'}
                    </Badge>
                    <Text>{MARKER_LABELS[m]}</Text>
                  </li>
                );
              })}
            </ul>
            {round.note ? (
              <figure className={styles.quote}>
                <figcaption>
                  <Text weight="semibold">{`${observers}'s note`}</Text>
                </figcaption>
                <blockquote className={styles.note}>{round.note}</blockquote>
              </figure>
            ) : (
              <Text className={styles.muted}>{`${observers} left no note.`}</Text>
            )}
          </>
        ) : (
          <Text className={styles.muted}>{`Waiting for ${observers} to tick the markers.`}</Text>
        )}
      </div>
    </Card>
  );
}
