import { useId, useState } from 'react';
import { useHashQuery } from '../../app/useHashPath';
import { makeStyles, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { AuditTrail } from './AuditTrail';
import { Directory } from './Directory';
import { Metrics } from './Metrics';
import { PeopleAndRoles } from './PeopleAndRoles';
import { OrganisationSettings } from './OrganisationSettings';
import { Privacy } from './Privacy';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  tabs: { flexWrap: 'wrap', marginLeft: `calc(${tokens.spacingHorizontalMNudge} * -1)` },
  panel: { ':focus': { outline: 'none' } },
});

const SECTIONS = [
  { value: 'directory', label: 'Directory' },
  { value: 'people', label: 'People and roles' },
  { value: 'privacy', label: 'Privacy' },
  { value: 'organisation', label: 'Organisation' },
  { value: 'metrics', label: 'Metrics' },
  { value: 'audit', label: 'Audit trail' },
] as const;
type Section = (typeof SECTIONS)[number]['value'];


/** Admin home: the organisation directory, who holds which role, privacy, the metric catalogue and the audit trail. */
export default function AdminHome({ me }: PageProps) {
  const styles = useStyles();
  const baseId = useId();
  const [announcement, setAnnouncement] = useState('');
  // `#/admin?section=people`: the section is in the address, so Back, a reload or a link comes back to it.
  const [query, go] = useHashQuery();
  const section: Section = SECTIONS.find((s) => s.value === query.get('section'))?.value ?? 'directory';
  const choose = (next: Section) => go(next === 'directory' ? {} : { section: next });

  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>Administration</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Set up the organisation directory, decide who holds which role in Coaching Pilots for{' '}
          {me.tenant.name}, look after people’s data, keep the catalogue of metrics programmes are judged on, and review the audit trail of privileged
          actions.
        </Text>
      </div>
      <LiveRegion message={announcement} />
      <TabList
        className={styles.tabs}
        selectedValue={section}
        onTabSelect={(_, data) => choose(data.value as Section)}
        aria-label="Administration sections"
      >
        {SECTIONS.map((s) => (
          <Tab key={s.value} value={s.value} id={`${baseId}-tab-${s.value}`} aria-controls={`${baseId}-panel`}>
            {s.label}
          </Tab>
        ))}
      </TabList>
      <div id={`${baseId}-panel`} role="tabpanel" aria-labelledby={`${baseId}-tab-${section}`} className={styles.panel}>
        {section === 'directory' && <Directory onAnnounce={setAnnouncement} />}
        {section === 'people' && <PeopleAndRoles selfId={me.user.id} onAnnounce={setAnnouncement} />}
        {section === 'organisation' && <OrganisationSettings onAnnounce={setAnnouncement} />}
        {section === 'metrics' && <Metrics onAnnounce={setAnnouncement} />}
        {section === 'privacy' && <Privacy tenantName={me.tenant.name} onAnnounce={setAnnouncement} />}
        {section === 'audit' && <AuditTrail onAnnounce={setAnnouncement} />}
      </div>
    </div>
  );
}
