import type { ReactNode } from 'react';
import {
  Link,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';

/** Typography of the public pages: plain elements in Fluent's type ramp, so they read as a document. */
export const useProseStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  text: { ...typographyStyles.body1, margin: 0, color: tokens.colorNeutralForeground1 },
  lead: { ...typographyStyles.subtitle2, fontWeight: tokens.fontWeightRegular, margin: 0, color: tokens.colorNeutralForeground1 },
  list: {
    ...typographyStyles.body1,
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    color: tokens.colorNeutralForeground1,
  },
  tableWrap: { overflowX: 'auto' },
});

/** A titled part of a page: an h2 and what follows it (not a landmark: a dozen would drown the three that matter). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useProseStyles();
  return (
    <section className={styles.section}>
      <Heading level={2}>{title}</Heading>
      {children}
    </section>
  );
}

export function P({ children }: { children: ReactNode }) {
  const styles = useProseStyles();
  return <p className={styles.text}>{children}</p>;
}

/** The privacy contact as a link: mail for an address, the page for a URL. */
export function ContactLink({ contact }: { contact: string }) {
  const url = /^https?:\/\//i.test(contact);
  return <Link href={url ? contact : `mailto:${contact}`}>{contact}</Link>;
}

/** Said plainly when the operator has not named a contact, instead of showing a made-up one. */
export function NoContact() {
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>No privacy contact has been set yet</MessageBarTitle>
        The people who run this service have not yet named a contact for privacy questions. Until
        they do, ask your organisation's Coaching Pilots administrator or its data protection
        officer.
      </MessageBarBody>
    </MessageBar>
  );
}

/** "180 days", "1 year", "3 years". */
export function period(days: number): string {
  if (days % 365 === 0) {
    const years = days / 365;
    return `${years} ${years === 1 ? 'year' : 'years'}`;
  }
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}
