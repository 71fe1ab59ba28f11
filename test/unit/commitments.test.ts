import { commitmentStatus } from '../../service/src/domain/commitments';

describe("a sponsor's commitments", () => {
  const all = { attendKickoff: true, coachedFirst: true, reviewResultsBy: '2026-03-01T00:00:00Z', ownWords: '' };
  const evidence = (now: string, extra: Partial<Parameters<typeof commitmentStatus>[1]> = {}) => ({ now: new Date(now), kickoffAt: new Date('2026-01-10T09:00:00Z'), attendedKickoff: null, resultsViewedAt: null, programmeStatus: 'running', ...extra });
  const statuses = (now: string, extra = {}) => Object.fromEntries(commitmentStatus(all, evidence(now, extra)).map((c) => [c.key, c.status]));

  test('before they are due: pending', () => {
    expect(statuses('2026-01-01T00:00:00Z')).toEqual({ attend_kickoff: 'pending', coached_first: 'pending', review_results: 'pending' });
  });

  test('past their date with nothing recorded: overdue, not pending; results unread a day after the date: missed', () => {
    expect(statuses('2026-01-11T00:00:00Z')).toEqual({ attend_kickoff: 'overdue', coached_first: 'overdue', review_results: 'pending' });
    expect(statuses('2026-03-03T00:00:00Z')).toEqual({ attend_kickoff: 'overdue', coached_first: 'overdue', review_results: 'missed' });
  });

  test('what is recorded decides: attended is kept, a no-show is missed, results read in time are kept', () => {
    expect(statuses('2026-03-03T00:00:00Z', { attendedKickoff: 'attended', resultsViewedAt: new Date('2026-02-20T00:00:00Z') })).toMatchObject({ attend_kickoff: 'kept', review_results: 'kept' });
    expect(statuses('2026-01-11T00:00:00Z', { attendedKickoff: 'no_show' })).toMatchObject({ attend_kickoff: 'missed' });
  });

  test("being coached first is kept once the sponsor says so, before the kickoff or after it", () => {
    const said = { ...all, coachedAt: '2026-01-12T08:00:00Z' };
    const coached = (now: string) => commitmentStatus(said, evidence(now)).find((c) => c.key === 'coached_first')!.status;
    expect(coached('2026-01-01T00:00:00Z')).toBe('kept');
    expect(coached('2026-03-03T00:00:00Z')).toBe('kept');
    expect(commitmentStatus({ ...all, coachedAt: null }, evidence('2026-01-11T00:00:00Z')).find((c) => c.key === 'coached_first')!.status).toBe('overdue');
  });
});
