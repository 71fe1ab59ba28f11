import { DomainError } from '../../service/src/domain/errors';
import { PROGRAMME_ACTIONS, PROGRAMME_STATUSES, canStillBeSponsored, cohortLetter, isIanaTimeZone, lifecycleProblems, nextStatus, validateDesign, type ProgrammeAction, type ProgrammeStatus } from '../../service/src/domain/programme';

/** The whole table, written out by hand: every state × every action → next state, or "—" (not allowed). */
const EXPECTED: Record<ProgrammeStatus, Record<ProgrammeAction, ProgrammeStatus | '—'>> = {
  draft: { edit: 'draft', submit: 'proposed', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: '—', withdraw: 'withdrawn' },
  proposed: { edit: '—', submit: '—', approve: 'sponsored', decline: 'declined', request_changes: 'changes_requested', sponsor_left: 'changes_requested', open_enrolment: '—', start: '—', complete: '—', withdraw: 'withdrawn' },
  sponsored: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: 'enrolling', start: '—', complete: '—', withdraw: 'withdrawn' },
  declined: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: '—', withdraw: '—' },
  changes_requested: { edit: 'changes_requested', submit: 'proposed', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: '—', withdraw: 'withdrawn' },
  enrolling: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: 'running', complete: '—', withdraw: 'withdrawn' },
  running: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: 'completed', withdraw: '—' },
  completed: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: '—', withdraw: '—' },
  withdrawn: { edit: '—', submit: '—', approve: '—', decline: '—', request_changes: '—', sponsor_left: '—', open_enrolment: '—', start: '—', complete: '—', withdraw: '—' },
};

describe('programme lifecycle', () => {
  const cells = PROGRAMME_STATUSES.flatMap((s) => PROGRAMME_ACTIONS.map((a) => [s, a] as const));

  test('the table covers every state and action', () => {
    expect(cells).toHaveLength(90);
    expect(Object.keys(EXPECTED).sort()).toEqual([...PROGRAMME_STATUSES].sort());
  });

  test.each(cells)('%s × %s', (status, action) => {
    const expected = EXPECTED[status][action];
    const run = () => nextStatus(status, action, { rule: 'any', sponsors: 1, approvals: 1 });
    if (expected === '—') {
      expect(run).toThrow(DomainError);
      try {
        run();
      } catch (e) {
        expect((e as DomainError).code).toBe('programme_transition_not_allowed');
        expect((e as DomainError).kind).toBe('conflict');
      }
    } else {
      expect(run()).toBe(expected);
    }
  });

  test('with the "all" rule, a programme stays proposed until every sponsor approves', () => {
    expect(nextStatus('proposed', 'approve', { rule: 'all', sponsors: 3, approvals: 1 })).toBe('proposed');
    expect(nextStatus('proposed', 'approve', { rule: 'all', sponsors: 3, approvals: 2 })).toBe('proposed');
    expect(nextStatus('proposed', 'approve', { rule: 'all', sponsors: 3, approvals: 3 })).toBe('sponsored');
    expect(nextStatus('proposed', 'approve', { rule: 'any', sponsors: 3, approvals: 1 })).toBe('sponsored');
  });

  test('sponsors who left decide nothing more: "all" needs each of them to have approved, "any" one of them still here', () => {
    const sponsors = ['a', 'b', 'c'];
    const can = (rule: 'any' | 'all', approvals: string[], left: string[]) => canStillBeSponsored(rule, sponsors, (id) => approvals.includes(id), (id) => left.includes(id));
    expect(can('all', [], [])).toBe(true);
    expect(can('all', ['a'], ['a'])).toBe(true);
    expect(can('all', ['a'], ['b'])).toBe(false);
    expect(can('any', [], ['a'])).toBe(true);
    expect(can('any', [], ['a', 'b'])).toBe(true);
    expect(can('any', [], ['a', 'b', 'c'])).toBe(false);
  });
});

describe('programme design validation', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const good = {
    title: 'Pilot',
    capacityPerCohort: 8,
    cohortCount: 1,
    enrolmentOpensAt: new Date('2026-03-02T00:00:00Z'),
    enrolmentClosesAt: new Date('2026-03-10T00:00:00Z'),
    sessions: [{ kind: 'kickoff' as const, title: 'Kickoff', startsAt: new Date('2026-03-15T09:00:00Z'), durationMinutes: 60, timeZone: 'Europe/London', location: 'Teams' }],
    eligibility: { userIds: [], orgUnits: ['Ops'], jobLevels: [] },
    metrics: ['absence_days'],
    pulseItems: ['asksQuestions', 'holdsBack', 'listens', 'feelHeard'],
  };
  const paths = (d: Parameters<typeof validateDesign>[0]) => validateDesign(d, now, isIanaTimeZone).map((p) => p.path);

  test('a good design has no problems', () => expect(paths(good)).toEqual([]));
  test('capacity 0', () => expect(paths({ ...good, capacityPerCohort: 0 })).toEqual(['capacityPerCohort']));
  test('a session in the past', () => expect(paths({ ...good, sessions: [{ ...good.sessions[0]!, startsAt: new Date('2026-02-01T09:00:00Z') }], enrolmentOpensAt: new Date('2026-01-01T00:00:00Z'), enrolmentClosesAt: new Date('2026-01-20T00:00:00Z') })).toEqual(['sessions.0.startsAt']));
  test('a window that closes after the first session', () => expect(paths({ ...good, enrolmentClosesAt: new Date('2026-03-16T00:00:00Z') })).toEqual(['enrolmentClosesAt']));
  test('a window that closes before it opens', () => expect(paths({ ...good, enrolmentClosesAt: new Date('2026-03-01T00:00:00Z') })).toEqual(['enrolmentClosesAt']));
  test('an unknown time zone', () => expect(paths({ ...good, sessions: [{ ...good.sessions[0]!, timeZone: 'Mars/Olympus' }] })).toEqual(['sessions.0.timeZone']));
  test('nobody eligible and no metric', () => expect(paths({ ...good, eligibility: { userIds: [], orgUnits: [], jobLevels: [] }, metrics: [] })).toEqual(['eligibility', 'metrics']));
  test('a chosen comparison group with nobody in it', () => expect(paths({ ...good, comparison: { mode: 'chosen', userIds: [] } })).toEqual(['comparison.userIds']));
  test('a chosen comparison group that names someone invited to take part', () =>
    expect(paths({ ...good, eligibility: { userIds: ['u1'], orgUnits: [], jobLevels: [] }, comparison: { mode: 'chosen', userIds: ['u1', 'u2'] } })).toEqual(['comparison.userIds']));
  test('a primary metric that is not among the chosen ones', () => expect(paths({ ...good, primaryMetric: 'performance_rating' })).toEqual(['primaryMetric']));
  test('a pulse of fewer than three statements, or one statement twice', () => {
    expect(paths({ ...good, pulseItems: ['asksQuestions', 'feelHeard'] })).toEqual(['pulseItems']);
    expect(paths({ ...good, pulseItems: ['asksQuestions', 'feelHeard', 'feelHeard'] })).toEqual(['pulseItems']);
  });
  test('the "I feel heard" metric without its statement in the pulse', () =>
    expect(paths({ ...good, metrics: ['team_pulse_heard'], pulseItems: ['asksQuestions', 'holdsBack', 'listens'] })).toEqual(['pulseItems']));
  test('matched and all-eligible comparisons need no names', () => {
    expect(paths({ ...good, comparison: { mode: 'matched', userIds: [] } })).toEqual([]);
    expect(paths({ ...good, comparison: { mode: 'all_eligible', userIds: [] } })).toEqual([]);
  });
});

describe('lifecycle consistency of a stored programme', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const approved = { decision: 'approved' };

  test('a programme that went through the transitions has no problems', () => {
    expect(lifecycleProblems({ status: 'draft', sponsorIds: [] })).toEqual([]);
    expect(lifecycleProblems({ status: 'proposed', sponsorIds: ['s1'], sponsorRule: 'any', sponsorDecisions: {}, submittedAt: at })).toEqual([]);
    expect(lifecycleProblems({ status: 'enrolling', sponsorIds: ['s1', 's2'], sponsorRule: 'any', sponsorDecisions: { s2: approved }, submittedAt: at, locked: { at } })).toEqual([]);
    expect(lifecycleProblems({ status: 'completed', sponsorIds: ['s1', 's2'], sponsorRule: 'all', sponsorDecisions: { s1: approved, s2: approved }, submittedAt: at, locked: { at } })).toEqual([]);
    expect(lifecycleProblems({ status: 'withdrawn', sponsorIds: ['s1'], sponsorDecisions: { s1: approved }, submittedAt: at, locked: { at } })).toEqual([]);
    // Sent back because its sponsor left before deciding.
    expect(lifecycleProblems({ status: 'changes_requested', sponsorIds: ['s1'], sponsorRule: 'any', sponsorDecisions: {}, submittedAt: at, sponsorsLeft: ['s1'] })).toEqual([]);
  });

  test('the old demo pilot (enrolling, locked, never submitted or approved) is named for each contradiction', () => {
    expect(lifecycleProblems({ status: 'enrolling', sponsorIds: ['s1'], sponsorDecisions: {}, submittedAt: null, locked: { at } })).toEqual([
      'It is enrolling but was never submitted.',
      'It is enrolling with 0 of the 1 approvals it needs.',
    ]);
  });

  test('other contradictions', () => {
    expect(lifecycleProblems({ status: 'running', sponsorIds: ['s1', 's2'], sponsorRule: 'all', sponsorDecisions: { s1: approved }, submittedAt: at, locked: { at } })).toEqual(['It is running with 1 of the 2 approvals it needs.']);
    expect(lifecycleProblems({ status: 'sponsored', sponsorIds: ['s1'], sponsorDecisions: { s1: approved }, submittedAt: at })).toEqual(['It is sponsored but its success metrics were never locked.']);
    expect(lifecycleProblems({ status: 'proposed', sponsorIds: ['s1'], sponsorDecisions: { x: approved }, submittedAt: at, locked: { at } })).toEqual([
      'x decided but was not asked to sponsor.',
      'It is proposed but its success metrics are locked, as only sponsorship does.',
    ]);
    expect(lifecycleProblems({ status: 'declined', sponsorIds: ['s1'], sponsorDecisions: {}, submittedAt: at })).toEqual(['It is declined but no sponsor declined it.']);
    expect(lifecycleProblems({ status: 'draft', sponsorIds: ['s1'], sponsorDecisions: { s1: approved } })).toEqual(['A draft has sponsor decisions.']);
    expect(lifecycleProblems({ status: 'changes_requested', sponsorIds: ['s1'], sponsorDecisions: {}, submittedAt: at, sponsorsLeft: [] })).toEqual(['Changes are requested but no sponsor asked for them, nor left.']);
  });
});

describe('cohort letters', () => {
  test('A to Z, then AA, AB …: every cohort of a programme (up to its hundred) has a name of its own', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 99, 701, 702].map(cohortLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'CV', 'ZZ', 'AAA']);
    expect(new Set(Array.from({ length: 100 }, (_, i) => cohortLetter(i))).size).toBe(100);
  });
});
