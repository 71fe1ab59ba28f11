import type { RetentionKind } from '../../api/types';

/** Singular and plural names of the records the API counts, by collection (and "jobs"). */
const RECORD_NOUNS: Record<string, [string, string]> = {
  User: ['profile', 'profiles'],
  DirectoryIssue: ['directory problem', 'directory problems'],
  DirectoryChange: ['pending directory change', 'pending directory changes'],
  Programme: ['programme they designed or sponsor', 'programmes they designed or sponsor'],
  Enrolment: ['enrolment', 'enrolments'],
  ParticipantSession: ['session booking', 'session bookings'],
  Notification: ['notification', 'notifications'],
  Attendance: ['attendance record', 'attendance records'],
  OutcomeValue: ['outcome figure', 'outcome figures'],
  FeedbackRequest: ['feedback request', 'feedback requests'],
  SessionFeedback: ['session rating', 'session ratings'],
  AuditEvent: ['audit trail entry', 'audit trail entries'],
  PracticeRoom: ['practice room', 'practice rooms'],
  PracticeRound: ['practice round', 'practice rounds'],
  PracticeTap: ['coded behaviour', 'coded behaviours'],
  jobs: ['background job', 'background jobs'],
};

/** What the last purge removed, by retention kind (feedback text is blanked, not removed). */
const PURGE_NOUNS: Record<Exclude<RetentionKind, 'feedbackText'>, [string, string]> = {
  notifications: ['notification', 'notifications'],
  outcomeValues: ['outcome figure', 'outcome figures'],
  auditEvents: ['audit trail entry', 'audit trail entries'],
  practice: ['practice round', 'practice rounds'],
  finishedJobs: ['finished job', 'finished jobs'],
};

/** "a", "a and b", "a, b and c". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function counted(counts: Record<string, number | undefined>, nouns: Record<string, [string, string]>): string[] {
  return Object.entries(counts)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .map(([key, n]) => {
      const [one, many] = nouns[key] ?? [`${key} record`, `${key} records`];
      return `${n} ${n === 1 ? one : many}`;
    });
}

/** e.g. "1 profile, 2 enrolments and 3 notifications"; "" when there is nothing. */
export function recordsInWords(counts: Record<string, number>): string {
  return listInWords(counted(counts, RECORD_NOUNS));
}

/** e.g. "removed 12 notifications and 3 finished jobs; blanked 1 feedback comment"; "" when the purge found nothing. */
export function purgeInWords({ feedbackText = 0, ...removed }: Partial<Record<RetentionKind, number>>): string {
  const deleted = listInWords(counted(removed, PURGE_NOUNS));
  const blanked = feedbackText > 0 ? `blanked ${feedbackText} feedback ${feedbackText === 1 ? 'comment' : 'comments'}` : '';
  return [deleted && `removed ${deleted}`, blanked].filter(Boolean).join('; ');
}
