/**
 * A Teams activity-feed notice stored by an earlier release (held while Graph refused the
 * organisation's notices, say), as the manifest now declares it: a sponsor's decision was one type
 * with the decision in English words, and a pulse's notices named "working with <manager>".
 */
export function currentActivity(type: string, params: Readonly<Record<string, string>>): { type: string; params: Record<string, string> } {
  const WORKING_WITH = 'working with ';
  if (type === 'sponsorshipDecided') {
    const decided = params.decision === 'approved' ? 'sponsorshipApproved' : params.decision === 'declined' ? 'sponsorshipDeclined' : 'sponsorshipChangesRequested';
    return { type: decided, params: { sponsorName: params.sponsorName ?? '', programmeName: params.programmeName ?? '' } };
  }
  if (type === 'pulseRequested' && typeof params.pulseTitle === 'string') return { type, params: { managerName: params.pulseTitle.replace(WORKING_WITH, '') } };
  if (type === 'feedbackReminder' && params.sessionTitle?.startsWith(WORKING_WITH)) return { type: 'pulseReminder', params: { managerName: params.sessionTitle.slice(WORKING_WITH.length) } };
  return { type, params: { ...params } };
}
