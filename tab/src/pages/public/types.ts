import type { OrganisationPrivacySettings, PrivacyNoticeResponse } from '../../api/types';

/** What the public pages state: the service's defaults, and the reader's organisation's figures when known. */
export interface PublicFacts {
  notice: PrivacyNoticeResponse;
  /** Only when this browser tab is already signed in and the organisation's figures could be read. */
  organisation: OrganisationPrivacySettings | null;
}

export interface PublicPageProps {
  facts: PublicFacts;
  /** Addresses of the other pages, keeping the chosen theme. */
  links: { privacy: string; terms: string; app: string };
}
