import { currentActivity } from '../../service/src/domain/activity';
import { ACTIVITY_TYPES } from '../../manifest/package';

/** Notices an earlier release stored (held while Graph refused them) are sent as the manifest now declares them. */
describe('activity-feed notices stored by an earlier release', () => {
  const declared = (a: { type: string; params: Record<string, string> }) => {
    expect(Object.keys(ACTIVITY_TYPES)).toContain(a.type);
    expect(Object.keys(a.params).sort()).toEqual([...ACTIVITY_TYPES[a.type as keyof typeof ACTIVITY_TYPES]].sort());
  };
  it.each([
    ['approved', 'sponsorshipApproved'],
    ['declined', 'sponsorshipDeclined'],
    ['asked for changes to', 'sponsorshipChangesRequested'],
  ])('a sponsor who %s: %s', (decision, type) => {
    const now = currentActivity('sponsorshipDecided', { sponsorName: 'Dana', decision, programmeName: 'Pilot' });
    expect(now).toEqual({ type, params: { sponsorName: 'Dana', programmeName: 'Pilot' } });
    declared(now);
  });
  it('pulse notices and reminders name the manager', () => {
    const asked = currentActivity('pulseRequested', { pulseTitle: 'working with Alex Kim' });
    expect(asked).toEqual({ type: 'pulseRequested', params: { managerName: 'Alex Kim' } });
    declared(asked);
    const reminded = currentActivity('feedbackReminder', { sessionTitle: 'working with Alex Kim' });
    expect(reminded).toEqual({ type: 'pulseReminder', params: { managerName: 'Alex Kim' } });
    declared(reminded);
  });
  it('leaves notices of this release as they are', () => {
    expect(currentActivity('feedbackReminder', { sessionTitle: 'Kickoff' })).toEqual({ type: 'feedbackReminder', params: { sessionTitle: 'Kickoff' } });
    expect(currentActivity('sponsorshipApproved', { sponsorName: 'Dana', programmeName: 'Pilot' })).toEqual({ type: 'sponsorshipApproved', params: { sponsorName: 'Dana', programmeName: 'Pilot' } });
  });
});
