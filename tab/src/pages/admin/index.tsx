import { useState } from 'react';
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';
import { LiveRegion } from '../../ui/VisuallyHidden';
import type { PageProps } from '../types';
import { AuditTrail } from './AuditTrail';
import { PeopleAndRoles } from './PeopleAndRoles';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Admin home: who holds which role, and the audit trail of privileged actions. */
export default function AdminHome({ me }: PageProps) {
  const styles = useStyles();
  const [announcement, setAnnouncement] = useState('');
  return (
    <div className={styles.root}>
      <div className={styles.intro}>
        <Heading level={1}>Administration</Heading>
        <Text className={styles.muted}>
          Welcome, {me.user.name}. Decide who holds which role in Coaching Pilots for {me.tenant.name},
          and review the audit trail of privileged actions.
        </Text>
      </div>
      <LiveRegion message={announcement} />
      <PeopleAndRoles onAnnounce={setAnnouncement} />
      <AuditTrail onAnnounce={setAnnouncement} />
    </div>
  );
}
