import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { CoachSession, SessionFeedbackAnswer } from '../../api/types';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { formatDateTime } from '../../lib/datetime';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { VisuallyHidden } from '../../ui/VisuallyHidden';
import { isScore, scoreLabel, SCORES, USEFULNESS } from '../feedback/ScaleQuestion';
import { num } from '../results/format';
import { FigureTable, usePartStyles } from '../results/parts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  figures: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  figure: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    minWidth: '160px',
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  figureLabel: { color: tokens.colorNeutralForeground2 },
  figureValue: { margin: 0, display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalXS },
  share: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  track: {
    width: '120px',
    height: '8px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorNeutralBackground5,
    overflow: 'hidden',
  },
  bar: {
    height: '100%',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorCompoundBrandBackground,
    // Forced colours would drop the fill; the percentage beside it still says the same.
    display: 'block',
    '@media (forced-colors: active)': { backgroundColor: 'CanvasText', forcedColorAdjust: 'none' },
  },
  percent: { fontVariantNumeric: 'tabular-nums' },
  scroll: { overflowX: 'auto' },
  answers: { minWidth: '720px', tableLayout: 'auto' },
  cell: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS, verticalAlign: 'top' },
  name: { whiteSpace: 'nowrap' },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    textAlign: 'center',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

/** "4 – Useful", as the participant saw the option when answering. */
function ratingText(rating: number): string {
  const score = isScore(String(rating));
  return score === null ? String(rating) : scoreLabel(score, USEFULNESS);
}

function answersText(n: number): string {
  return `${n} ${n === 1 ? 'rating' : 'ratings'}`;
}

/** What participants said about one session: average and count, the spread of 1–5, and each answer. */
export function SessionRatings({ session }: { session: CoachSession }) {
  const styles = useStyles();
  const parts = usePartStyles();
  const api = useApi();
  const [load, reload] = useLoad(queries.sessionFeedback(api, session.id));
  return (
    <div className={styles.root}>
      <div className={styles.head}>
        <Heading level={3}>{session.title}</Heading>
        <Text className={parts.muted}>
          {`${session.programmeTitle} · ${session.cohortName} · ${formatDateTime(session.startsAt, session.timeZone)}`}
        </Text>
      </div>
      <Loaded load={load} inline loading="Loading ratings…" failed="The ratings could not be loaded" onRetry={reload}>
        {({ answers }) => <RatingsView session={session} answers={answers} />}
      </Loaded>
    </div>
  );
}

function RatingsView({ session, answers }: { session: CoachSession; answers: SessionFeedbackAnswer[] }) {
  const styles = useStyles();
  const parts = usePartStyles();
  const held = Date.parse(session.startsAt) <= Date.now();
  const { attended, noShow, unrecorded } = session.attendance;
  const booked = attended + noShow + unrecorded;

  if (answers.length === 0) {
    return (
      <div className={styles.empty}>
        <Text weight="semibold" size={400}>
          No feedback yet for this session
        </Text>
        <Text className={parts.muted}>
          {held
            ? 'Participants are asked for a rating when the session ends; their answers appear here.'
            : `The session is on ${formatDateTime(session.startsAt, session.timeZone)}. Participants are asked for a rating when it ends.`}
        </Text>
      </div>
    );
  }

  const average = answers.reduce((total, a) => total + a.rating, 0) / answers.length;
  const spread = [...SCORES].reverse().map((score) => {
    const n = answers.filter((a) => a.rating === score).length;
    return { score, n, share: n / answers.length };
  });

  return (
    <div className={styles.root}>
      <dl className={styles.figures} aria-label={`Summary of ratings for ${session.title}`}>
        <div className={styles.figure}>
          <dt className={styles.figureLabel}>Average rating</dt>
          <dd className={styles.figureValue}>
            <Text size={700} weight="semibold">
              {num(average)}
            </Text>
            <Text className={parts.muted}>out of 5</Text>
          </dd>
        </div>
        <div className={styles.figure}>
          <dt className={styles.figureLabel}>Ratings given</dt>
          <dd className={styles.figureValue}>
            <Text size={700} weight="semibold">
              {answers.length}
            </Text>
            {booked >= answers.length && <Text className={parts.muted}>{`of ${booked} booked`}</Text>}
          </dd>
        </div>
      </dl>

      <div className={styles.block}>
        <Heading level={4}>
          How the ratings spread
        </Heading>
        <FigureTable
          caption={`Ratings of ${session.title}, from 5 to 1`}
          columns={['Rating', 'Answers', 'Share']}
          // Left-aligned like their headings: single-digit counts and short percentages line up anyway.
          numeric={false}
          rows={spread.map(({ score, n, share }) => ({
            key: String(score),
            cells: [
              scoreLabel(score, USEFULNESS),
              n,
              <span className={styles.share}>
                <span className={styles.track} aria-hidden="true">
                  <span className={styles.bar} style={{ width: `${Math.round(share * 100)}%` }} />
                </span>
                <span className={styles.percent}>{`${Math.round(share * 100)}%`}</span>
              </span>,
            ],
          }))}
        />
      </div>

      <div className={styles.block}>
        <Heading level={4}>
          Answers
        </Heading>
        <Text className={parts.muted}>
          {`${answersText(answers.length)}, in the order they came in.`}
        </Text>
        <div className={styles.scroll}>
          <Table aria-label={`Answers about ${session.title}`} size="small" className={styles.answers}>
            <TableHeader>
              <TableRow className={parts.row}>
                <TableHeaderCell>Participant</TableHeaderCell>
                <TableHeaderCell>Rating</TableHeaderCell>
                <TableHeaderCell>What I will try next</TableHeaderCell>
                <TableHeaderCell>Comment</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {answers.map((a, i) => (
                <TableRow key={`${i}-${a.name}`} className={parts.row}>
                  <TableCell className={styles.cell}>
                    <Text weight="semibold" className={styles.name}>
                      {a.name}
                    </Text>
                  </TableCell>
                  <TableCell className={styles.cell}>
                    <span className={styles.name}>{ratingText(a.rating)}</span>
                  </TableCell>
                  <TableCell className={styles.cell}>
                    {a.tryNext ? <span className={styles.text}>{a.tryNext}</span> : <NotAnswered />}
                  </TableCell>
                  <TableCell className={styles.cell}>
                    {a.comment ? <span className={styles.text}>{a.comment}</span> : <NotAnswered />}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </div>
    </div>
  );
}

/** An optional question left blank: a dash for the eye, words for a screen reader. */
function NotAnswered() {
  const parts = usePartStyles();
  return (
    <>
      <span className={parts.muted} aria-hidden="true">
        —
      </span>
      <VisuallyHidden>Not answered</VisuallyHidden>
    </>
  );
}
