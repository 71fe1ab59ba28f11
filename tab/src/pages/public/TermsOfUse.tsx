import { Link } from '@fluentui/react-components';
import { Heading } from '../../ui/Heading';
import { ContactLink, NoContact, P, Section, useProseStyles } from './prose';
import type { PublicPageProps } from './types';

/** The terms of use at /terms: short and plain. */
export default function TermsOfUse({ facts: { notice }, links }: PublicPageProps) {
  const prose = useProseStyles();
  return (
    <article className={prose.page}>
      <Heading level={1}>Terms of use</Heading>
      <p className={prose.lead}>
        These terms apply to everyone who uses Coaching Pilots through their organisation. They are
        short on purpose; the <Link href={links.privacy}>privacy notice</Link> says what happens to
        your data.
      </p>

      <Section title="What the service is">
        <P>
          Coaching Pilots is an app in Microsoft Teams for running coaching pilots: senior leaders
          sponsor a pilot, managers enrol in coaching training, people rate sessions and answer short
          anonymous team pulses, and the organisation measures the impact.
        </P>
        <P>
          <strong>Run by:</strong> {notice.operator}
        </P>
      </Section>

      <Section title="Using it well">
        <ul className={prose.list}>
          <li>Use it for your organisation's coaching programmes, and only with your own account.</li>
          <li>
            Give honest, respectful feedback. Comments are read by coaches and programme owners; keep
            health and other sensitive details about anyone out of them.
          </li>
          <li>Do not try to find out who gave an anonymous answer.</li>
          <li>
            Do not try to reach data you have not been given access to, including other
            organisations' data, and do not try to disrupt the service.
          </li>
        </ul>
      </Section>

      <Section title="Your organisation's part">
        <P>The organisation that uses Coaching Pilots decides why and how, and so it:</P>
        <ul className={prose.list}>
          <li>needs a lawful basis for using its people's data in it;</li>
          <li>tells its people that it uses Coaching Pilots and where to read the privacy notice;</li>
          <li>keeps the directory facts and the figures it imports accurate;</li>
          <li>answers its people's requests about their data;</li>
          <li>chooses how long data is kept, within what the app allows.</li>
        </ul>
      </Section>

      <Section title="No warranty">
        <P>
          Coaching Pilots is open-source software under the MIT licence. As that licence says, it is
          provided as is, without warranty of any kind. Any further commitment about this service,
          such as availability or support, is a matter between your organisation and the people who
          run this service.
        </P>
      </Section>

      <Section title="Changes">
        <P>
          The service and these terms may change. The current terms are always at this address.
        </P>
      </Section>

      <Section title="Contact">
        {notice.contact ? (
          <P>
            Questions about these terms or about privacy: <ContactLink contact={notice.contact} />.
          </P>
        ) : (
          <NoContact />
        )}
      </Section>
    </article>
  );
}
