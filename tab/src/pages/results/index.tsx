import { useEffect, useId, useRef, useState } from 'react';
import {
  Badge,
  Button,
  Link,
  makeStaticStyles,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useIntl } from 'react-intl';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useHashQuery } from '../../app/useHashPath';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { statusColour, statusText } from '../sponsor/labels';
import { FollowThrough } from './FollowThrough';
import { resultsCsv, summaryLine } from './format';
import { ImpactView } from './ImpactView';
import { ParticipationView } from './ParticipationView';
import { Section } from './parts';
import { PilotComparison } from './PilotComparison';
import { PracticeView } from './PracticeView';
import { PulseView } from './PulseView';

/** Marks the page so that the print rules below only apply while it is on screen. */
const PAGE_ATTRIBUTE = 'data-results-dashboard';

/** When printing the dashboard, leave out the app header, navigation and skip link. */
const usePrintStyles = makeStaticStyles(`
@media print {
  body:has([${PAGE_ATTRIBUTE}]) header,
  body:has([${PAGE_ATTRIBUTE}]) nav,
  body:has([${PAGE_ATTRIBUTE}]) a[href="#main"] { display: none !important; }
  body:has([${PAGE_ATTRIBUTE}]) div:has(> header) { border: none !important; }
  body:has([${PAGE_ATTRIBUTE}]) #main { padding: 0 !important; max-width: none !important; }
}
`);

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  titleRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  meta: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2 },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    '@media print': { display: 'none' },
  },
  summary: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([`\uFEFF${text}`], { type: 'text/csv;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileSlug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'programme';
}

/** `#/results?programme=<id>`: what a programme achieved, for its sponsors and owner. */
export default function ResultsPage({ me }: PageProps) {
  const [query] = useHashQuery();
  const programmeId = query.get('programme')?.trim() ?? '';

  if (!programmeId) {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>No programme chosen</MessageBarTitle>
          Open the results from a programme on your Sponsor or Programme owner page.
        </MessageBarBody>
      </MessageBar>
    );
  }
  // The practice figures are for the people who read results (the API's rule too).
  const practice = (['owner', 'sponsor', 'admin'] as const).some((r) => me.roles.includes(r));
  return <ResultsDashboard key={programmeId} programmeId={programmeId} practice={practice} />;
}

function ResultsDashboard({ programmeId, practice: showPractice }: { programmeId: string; practice: boolean }) {
  usePrintStyles();
  const styles = useStyles();
  const intl = useIntl();
  const api = useApi();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const participationId = useId();
  const pulseId = useId();
  const [announcement, setAnnouncement] = useState('');

  const [programme, reloadProgramme] = useLoad(queries.programme(api, programmeId));
  const [results, reloadResults] = useLoad(queries.results(api, programmeId));
  const [impact, reloadImpact] = useLoad(queries.impact(api, programmeId));
  const [pulse, reloadPulse] = useLoad(queries.pulse(api, programmeId));
  const [commitments, reloadCommitments] = useLoad(queries.commitments(api, programmeId));
  const [practice, reloadPractice] = useLoad(queries.programmePractice(api, programmeId), { enabled: showPractice, otherwise: null });

  const title = programme.kind === 'ready' ? programme.data.programme.title : null;
  useEffect(() => {
    if (!title) return;
    document.title = `${title}: results · Coaching Pilots`;
    headingRef.current?.focus();
  }, [title]);

  if (programme.kind !== 'ready') {
    // Retrying cannot help when the programme is gone or not the viewer's to see.
    const denied = programme.kind === 'error' && (programme.status === 403 || programme.status === 404);
    return (
      <Loaded
        load={programme}
        loading="Loading results…"
        failed="The results could not be loaded"
        onRetry={denied ? undefined : reloadProgramme}
      />
    );
  }

  const p = programme.data.programme;
  const settled = [results, impact, pulse, commitments].every((l) => l.kind !== 'loading');
  const expandedFrom = impact.kind === 'ready' ? impact.data.expandedFrom : null;
  const sponsorNames = p.sponsors.map((s) => s.name).join(', ');

  const onDownload = () => {
    const csv = resultsCsv({
      participation: results.kind === 'ready' ? results.data.participation : null,
      impact: impact.kind === 'ready' ? impact.data : null,
      pulse: pulse.kind === 'ready' ? pulse.data : null,
      commitments: commitments.kind === 'ready' ? commitments.data : null,
    });
    download(`${fileSlug(p.title)}-results.csv`, csv);
    setAnnouncement(`Downloaded the results of ${p.title} as a CSV file.`);
  };

  return (
    <div className={styles.root} {...{ [PAGE_ATTRIBUTE]: '' }}>
      <div className={styles.header}>
        <div className={styles.titleRow}>
          <Heading level={1} ref={headingRef} tabIndex={-1}>
            {`${p.title}: results`}
          </Heading>
          <Badge size="large" shape="rounded" appearance="tint" color={statusColour(p.status)}>
            {statusText(intl, p.status)}
          </Badge>
          <Badge size="large" shape="rounded" appearance="outline" color="informative">
            {p.kind === 'pilot' ? 'Pilot' : 'Rollout'}
          </Badge>
        </div>
        {sponsorNames && (
          <Text className={styles.meta}>{`Sponsored by ${sponsorNames}`}</Text>
        )}
        <div className={styles.actions} role="group" aria-label="Results actions">
          <Button disabled={!settled} onClick={onDownload}>
            Download CSV
          </Button>
          <Button onClick={() => window.print()}>
            Print
          </Button>
          {expandedFrom && (
            <Link href={`#/results?programme=${encodeURIComponent(expandedFrom)}`}>Compare with the pilot</Link>
          )}
        </div>
        <LiveRegion message={announcement} />
      </div>

      <Section title="In short" description="One line per success metric, the primary one first; the details follow.">
        <Loaded load={impact} inline loading="Loading the results…" failed="The results could not be loaded" onRetry={reloadImpact}>
          {(data) =>
            data.analyses.length === 0 ? (
              <Text className={styles.meta}>There are no results for the success metrics yet.</Text>
            ) : (
              <ul className={styles.summary}>
                {[...data.analyses]
                  .sort((a, b) => Number(b.primary) - Number(a.primary))
                  .map((a) => (
                    <li key={a.metric}>
                      <Text>{summaryLine(a)}</Text>
                    </li>
                  ))}
              </ul>
            )
          }
        </Loaded>
      </Section>

      <Section
        title="Sponsor follow-through"
        description="What each sponsor committed to when they approved, and whether they have done it."
      >
        <Loaded
          load={commitments}
          inline
          loading="Loading sponsor commitments…"
          failed="The sponsor commitments could not be loaded"
          onRetry={reloadCommitments}
        >
          {(data) => <FollowThrough data={data} />}
        </Loaded>
      </Section>

      <Section title="Participation" headingId={participationId}>
        <Loaded
          load={results}
          inline
          loading="Loading participation…"
          failed="The participation could not be loaded"
          onRetry={reloadResults}
        >
          {(data) => <ParticipationView data={data.participation} describedBy={participationId} />}
        </Loaded>
      </Section>

      <Section
        title="What changed"
        description="Each metric compares participants' change with the change in a comparison group of managers who did not take part."
      >
        <Loaded
          load={impact}
          inline
          loading="Loading results for the success metrics…"
          failed="The results for the success metrics could not be loaded"
          onRetry={reloadImpact}
        >
          {(data) => <ImpactView data={data} />}
        </Loaded>
      </Section>

      <Section
        title="Team pulse"
        headingId={pulseId}
        description="Average agreement from 1 (strongly disagree) to 5 (strongly agree), from the participants' team members. Answers are anonymous."
      >
        <Loaded
          load={pulse}
          inline
          loading="Loading team pulse…"
          failed="The team pulse could not be loaded"
          onRetry={reloadPulse}
        >
          {(data) => <PulseView data={data} describedBy={pulseId} />}
        </Loaded>
      </Section>

      {showPractice && (
        <Section
          title="Practice"
          description="Role-play rounds in the programme's practice rooms, where an observer counts the practising manager's questions and reflections and the partner rates the round."
        >
          <Loaded load={practice} inline loading="Loading practice…" failed="The practice figures could not be loaded" onRetry={reloadPractice}>
            {(data) => data && <PracticeView data={data} />}
          </Loaded>
        </Section>
      )}

      {expandedFrom && impact.kind === 'ready' && (
        <Section title="Pilot versus rollout">
          <PilotComparison pilotId={expandedFrom} rollout={impact.data} />
        </Section>
      )}
    </div>
  );
}
