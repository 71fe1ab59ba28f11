import type { HrColumn } from '../../../../service/src/domain/hr-file';
import type { BadgeProps } from '@fluentui/react-components';
import type { DirectoryField, DirectorySource, DirectorySyncStatus } from '../../api/types';
import { humanise } from '../../lib/datetime';

export const FIELD_LABELS: Record<DirectoryField, string> = {
  orgUnit: 'Org unit',
  jobLevel: 'Job level',
  lineManager: 'Line manager',
  timeZone: 'Time zone',
  workingHours: 'Working hours',
};

/** The directory facts whose source the admin chooses, in the order the settings list them. */
export const DIRECTORY_FIELDS = Object.keys(FIELD_LABELS) as DirectoryField[];

export const SOURCE_LABELS: Record<DirectorySource, string> = {
  graph: 'Microsoft Graph',
  hr: 'HR file',
};

export const SYNC_STATUS: Record<DirectorySyncStatus, { text: string; color: BadgeProps['color'] }> = {
  never: { text: 'Never synced', color: 'informative' },
  queued: { text: 'Queued', color: 'informative' },
  running: { text: 'Syncing', color: 'brand' },
  waiting: { text: 'Paused by throttling', color: 'warning' },
  succeeded: { text: 'Up to date', color: 'success' },
  failed: { text: 'Failed', color: 'danger' },
};

/** Statuses during which a sync is under way, so another cannot be started. */
export function isSyncActive(status: DirectorySyncStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting';
}

/** Graph attribute names as people read them: "extensionAttribute3" → "Extension attribute 3". */
export function attributeLabel(attribute: string): string {
  const names: Record<string, string> = {
    department: 'Department',
    jobTitle: 'Job title',
    employeeType: 'Employee type',
    companyName: 'Company name',
    officeLocation: 'Office location',
    country: 'Country or region',
  };
  const extension = /^extensionAttribute(\d+)$/.exec(attribute);
  if (extension) return `Extension attribute ${extension[1]}`;
  return names[attribute] ?? humanise(attribute.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

const ISSUE_KINDS: Record<string, string> = {
  malformed: 'Record not read in full',
  unknown_manager: 'Line manager has left or is unknown',
  manager_cycle: 'Line managers form a loop',
  own_manager: 'Named as their own line manager',
  unknown_time_zone: 'Time zone not recognised',
  duplicate_upn: 'Sign-in name used twice',
  mailbox_unavailable: 'Mailbox settings unavailable',
  no_mailbox: 'No mailbox',
};

/** A directory issue's kind in plain words. */
export function issueKindLabel(kind: string): string {
  return ISSUE_KINDS[kind] ?? humanise(kind);
}

/** What the admin can do about a sync error, by its code; the server's message comes first. */
export function syncErrorTitle(code: string): string {
  switch (code) {
    case 'consent_missing':
      return 'Microsoft Graph permission missing';
    case 'permission_missing':
      return 'Microsoft Graph permission missing';
    case 'credentials_invalid':
      return "The app's credentials were refused";
    case 'graph_not_configured':
      return 'Microsoft Graph is not connected';
    case 'throttled':
      return 'Microsoft Graph kept throttling the sync';
    default:
      return 'The last sync failed';
  }
}

/** What each column of the HR file holds, in the template's order. */
const HR_COLUMN_MEANINGS: Record<HrColumn, string> = {
  user: 'Entra object id, UPN or email (required, or an email column instead; a person the file adds needs their object id)',
  name: 'Display name, for a person the file adds',
  email: 'Email, for a person the file adds (Entra keeps everyone else’s)',
  org_unit: 'Org unit',
  job_level: 'Job level',
  line_manager: 'Object id or email of the line manager',
  time_zone: 'IANA or Windows name, e.g. Europe/London',
  working_days: 'e.g. Mon-Fri or Sun,Mon,Tue,Wed,Thu',
  working_hours: 'e.g. 09:00-17:30, or 22:00-06:00 for a night shift (empty: the organisation’s hours on their working days)',
  left_on: 'The day they left, e.g. 2026-11-30 (empty while they work here): from then their seats are freed',
};

/** The HR file's columns and what each holds (the record above must name every column). */
export const HR_COLUMNS: readonly { name: HrColumn; meaning: string }[] = (Object.entries(HR_COLUMN_MEANINGS) as [HrColumn, string][]).map(([name, meaning]) => ({ name, meaning }));
