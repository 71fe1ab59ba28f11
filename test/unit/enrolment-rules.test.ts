import { approverNow, assertCanWithdraw, assertEnrolmentOpen, decideSeats, waitlistPosition, type SeatCandidate } from '../../service/src/domain/enrolment';
import { DomainError } from '../../service/src/domain/errors';
import { isEligible } from '../../service/src/domain/eligibility';

const req = (id: string): SeatCandidate => ({ id, status: 'requested' });
const wl = (id: string): SeatCandidate => ({ id, status: 'waitlisted' });

describe('decideSeats: capacity and waitlist', () => {
  test('confirms in arrival order while seats are free, then waitlists', () => {
    expect(decideSeats(3, 0, ['a', 'b', 'c', 'd', 'e'].map(req))).toEqual([
      { id: 'a', decision: 'confirm' },
      { id: 'b', decision: 'confirm' },
      { id: 'c', decision: 'confirm' },
      { id: 'd', decision: 'waitlist' },
      { id: 'e', decision: 'waitlist' },
    ]);
  });

  test('counts seats already taken', () => {
    expect(decideSeats(3, 2, [req('a'), req('b')])).toEqual([
      { id: 'a', decision: 'confirm' },
      { id: 'b', decision: 'waitlist' },
    ]);
  });

  test('a full cohort confirms nobody; the waitlisted stay waitlisted without a new decision', () => {
    expect(decideSeats(2, 2, [wl('w'), req('r')])).toEqual([{ id: 'r', decision: 'waitlist' }]);
  });

  test('a freed seat goes to the earliest waitlisted person before later requests', () => {
    expect(decideSeats(2, 1, [wl('w1'), wl('w2'), req('r')])).toEqual([
      { id: 'w1', decision: 'confirm' },
      { id: 'r', decision: 'waitlist' },
    ]);
  });

  test('never confirms more than capacity, whatever the input', () => {
    for (let capacity = 1; capacity <= 6; capacity++) {
      for (let taken = 0; taken <= capacity + 1; taken++) {
        const candidates = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? wl(`x${i}`) : req(`x${i}`)));
        const confirmed = decideSeats(capacity, taken, candidates).filter((d) => d.decision === 'confirm').length;
        expect(confirmed).toBe(Math.max(0, Math.min(10, capacity - taken)));
      }
    }
  });

  test('ignores candidates that are not waiting for a decision', () => {
    expect(decideSeats(5, 0, [{ id: 'c', status: 'confirmed' }, { id: 'x', status: 'withdrawn' }])).toEqual([]);
  });
});

describe('enrolment window and withdrawal', () => {
  const window = { opensAt: new Date('2026-01-01T00:00:00Z'), closesAt: new Date('2026-01-10T00:00:00Z') };
  const code = (fn: () => void) => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      return (e as DomainError).code;
    }
  };

  test('open only while enrolling and inside the window', () => {
    expect(code(() => assertEnrolmentOpen('enrolling', window, new Date('2026-01-05T00:00:00Z')))).toBe('ok');
    expect(code(() => assertEnrolmentOpen('enrolling', window, new Date('2025-12-31T23:59:59Z')))).toBe('enrolment_not_open_yet');
    expect(code(() => assertEnrolmentOpen('enrolling', window, new Date('2026-01-10T00:00:00Z')))).toBe('enrolment_closed');
    expect(code(() => assertEnrolmentOpen('sponsored', window, new Date('2026-01-05T00:00:00Z')))).toBe('programme_not_enrolling');
  });

  test('only active enrolments can be withdrawn', () => {
    expect(code(() => assertCanWithdraw('requested'))).toBe('ok');
    expect(code(() => assertCanWithdraw('confirmed'))).toBe('ok');
    expect(code(() => assertCanWithdraw('waitlisted'))).toBe('ok');
    expect(code(() => assertCanWithdraw('withdrawn'))).toBe('enrolment_not_withdrawable');
    expect(code(() => assertCanWithdraw('completed'))).toBe('enrolment_not_withdrawable');
  });

  test('waitlist position is 1-based and only for the waitlisted', () => {
    expect(waitlistPosition('waitlisted', 0)).toBe(1);
    expect(waitlistPosition('waitlisted', 4)).toBe(5);
    expect(waitlistPosition('confirmed', 4)).toBeNull();
  });
});

describe('eligibility', () => {
  const rule = { userIds: ['u1'], orgUnits: ['Ops'], jobLevels: ['M3'] };
  test('any named person, org unit or job level makes a person eligible', () => {
    expect(isEligible(rule, { userId: 'u1' })).toBe(true);
    expect(isEligible(rule, { userId: 'u2', orgUnit: 'Ops' })).toBe(true);
    expect(isEligible(rule, { userId: 'u3', jobLevel: 'M3' })).toBe(true);
    expect(isEligible(rule, { userId: 'u4', orgUnit: 'Sales', jobLevel: 'M1' })).toBe(false);
    expect(isEligible(rule, { userId: 'u5', orgUnit: '', jobLevel: '' })).toBe(false);
  });
});

describe('who decides an enrolment awaiting approval after the directory changed', () => {
  const people: Record<string, { departed: boolean; lineManagerId: string | null }> = {
    lm: { departed: false, lineManagerId: 'skip' },
    gone: { departed: true, lineManagerId: 'skip' },
    skip: { departed: false, lineManagerId: null },
    goneTop: { departed: true, lineManagerId: null },
    goneSkipGone: { departed: true, lineManagerId: 'goneTop' },
    self: { departed: true, lineManagerId: 'self' },
  };
  const person = (id: string) => people[id];

  test('the line manager now, or one level up when they have left', () => {
    expect(approverNow('lm', person)).toBe('lm');
    expect(approverNow('gone', person)).toBe('skip');
  });

  test('nobody when there is no line manager, nobody active above one who left, or the manager is unknown', () => {
    expect(approverNow(null, person)).toBeNull();
    expect(approverNow('goneTop', person)).toBeNull();
    expect(approverNow('goneSkipGone', person)).toBeNull();
    expect(approverNow('self', person)).toBeNull();
    expect(approverNow('stranger', person)).toBeNull();
  });
});
