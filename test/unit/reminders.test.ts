import {
  groupSteps,
  addWorkingDays,
  DEFAULT_LADDER,
  ladderFor,
  ladderForOrganisation,
  ladderForRecipient,
  latestStep,
  nextAllowedTime,
  planLadder,
  shouldFire,
  type LadderConfig,
  type LadderState,
  type LadderStep,
} from '../../service/src/domain/reminders';
import { loadConfig } from '../../service/src/config';

/* Calendar used below (hand-checked): 1 Jan 2025 was a Wednesday, so Thu 16 Jan, Mon 20 Jan, Thu 23 Jan, Mon 27 Jan.
   London: GMT (UTC+0) until Sun 30 Mar 2025 01:00Z, BST (UTC+1) until Sun 26 Oct 2025 01:00Z.
   Los Angeles in January: PST (UTC−8). Tokyo: JST (UTC+9), no DST. */

const utc = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const planIso = (plan: { step: LadderStep; dueAt: Date }[]) => plan.map(({ step, dueAt }) => [step, iso(dueAt)]);
const LONDON = 'Europe/London';
const TEST_MODE: LadderConfig = { ...DEFAULT_LADDER, workingDayMs: 1000 };

describe('ladderFor', () => {
  it('session feedback: notify, two reminders, escalation, close', () => {
    expect(ladderFor('session_feedback')).toEqual(['notify', 'remind_1', 'remind_2', 'escalate', 'close']);
  });

  it('a pulse is never escalated (to the manager being rated)', () => {
    expect(ladderFor('pulse')).toEqual(['notify', 'remind_1', 'remind_2', 'close']);
  });

  it('returns a fresh array each time', () => {
    ladderFor('pulse').push('escalate');
    expect(ladderFor('pulse')).not.toContain('escalate');
  });
});

describe('DEFAULT_LADDER', () => {
  it('is +2 and +5 working days, escalation and close 2 days apart, quiet 19:00–08:00, real days', () => {
    expect(DEFAULT_LADDER).toEqual({
      reminderOffsets: [2, 5],
      escalateAfter: 2,
      closeAfter: 2,
      quietStart: '19:00',
      quietEnd: '08:00',
      workingDayMs: 86_400_000,
      weekendDays: [6, 7],
    });
    expect(Object.isFrozen(DEFAULT_LADDER)).toBe(true);
    expect(Object.isFrozen(DEFAULT_LADDER.reminderOffsets)).toBe(true);
    expect(Object.isFrozen(DEFAULT_LADDER.weekendDays)).toBe(true);
  });
});

describe('planLadder: default ladder, Europe/London, sent Thursday 16 Jan 2025 17:00', () => {
  const sentAt = utc('2025-01-16T17:00:00Z'); // 17:00 GMT, Thursday

  it('skips weekends and keeps the local time of day', () => {
    expect(planIso(planLadder('session_feedback', sentAt, LONDON))).toEqual([
      ['remind_1', '2025-01-20T17:00:00.000Z'], // Fri(1), Sat/Sun skipped, Mon(2)
      ['remind_2', '2025-01-23T17:00:00.000Z'], // Fri(1) Mon(2) Tue(3) Wed(4) Thu(5)
      ['escalate', '2025-01-27T17:00:00.000Z'], // from remind_2: Fri(1), Mon(2)
      ['close', '2025-01-29T17:00:00.000Z'], // from escalate: Tue(1), Wed(2)
    ]);
  });

  it('a pulse has no escalation; it closes 2 working days after the last reminder', () => {
    expect(planIso(planLadder('pulse', sentAt, LONDON))).toEqual([
      ['remind_1', '2025-01-20T17:00:00.000Z'],
      ['remind_2', '2025-01-23T17:00:00.000Z'],
      ['close', '2025-01-27T17:00:00.000Z'], // Fri(1), Mon(2)
    ]);
  });

  it('sent at 20:00: reminders move to 08:00 the next weekday, later steps count from the moved time', () => {
    expect(planIso(planLadder('session_feedback', utc('2025-01-16T20:00:00Z'), LONDON))).toEqual([
      ['remind_1', '2025-01-21T08:00:00.000Z'], // Mon 20:00 → Tue 08:00
      ['remind_2', '2025-01-24T08:00:00.000Z'], // Thu 20:00 → Fri 08:00
      ['escalate', '2025-01-28T08:00:00.000Z'], // Fri 08:00 + Mon(1), Tue(2)
      ['close', '2025-01-30T08:00:00.000Z'], // Wed(1), Thu(2)
    ]);
  });

  it('sent on a Saturday: counting starts on Monday', () => {
    // Sat 18 Jan 10:00 → Mon(1) Tue(2) → Tue 21 10:00; Mon(1)…Fri(5) → Fri 24 10:00
    const plan = planLadder('pulse', utc('2025-01-18T10:00:00Z'), LONDON);
    expect(plan.slice(0, 2).map((p) => iso(p.dueAt))).toEqual(['2025-01-21T10:00:00.000Z', '2025-01-24T10:00:00.000Z']);
  });

  it('uses the configured offsets', () => {
    const cfg: LadderConfig = { ...DEFAULT_LADDER, reminderOffsets: [1, 3], escalateAfter: 1, closeAfter: 5 };
    expect(planIso(planLadder('session_feedback', sentAt, LONDON, cfg))).toEqual([
      ['remind_1', '2025-01-17T17:00:00.000Z'], // Fri
      ['remind_2', '2025-01-21T17:00:00.000Z'], // Fri(1) Mon(2) Tue(3)
      ['escalate', '2025-01-22T17:00:00.000Z'], // Wed
      ['close', '2025-01-29T17:00:00.000Z'], // Thu Fri Mon Tue Wed
    ]);
  });
});

describe('nextAllowedTime: quiet hours and weekends (Europe/London, winter = UTC)', () => {
  const cases: [string, string, string][] = [
    ['Tuesday 20:00 → Wednesday 08:00', '2025-01-21T20:00:00Z', '2025-01-22T08:00:00.000Z'],
    ['Friday 20:00 → Monday 08:00', '2025-01-24T20:00:00Z', '2025-01-27T08:00:00.000Z'],
    ['Saturday 11:00 → Monday 08:00', '2025-01-18T11:00:00Z', '2025-01-20T08:00:00.000Z'],
    ['Sunday 23:30 → Monday 08:00', '2025-01-19T23:30:00Z', '2025-01-20T08:00:00.000Z'],
    ['Saturday 03:00 → Monday 08:00', '2025-01-18T03:00:00Z', '2025-01-20T08:00:00.000Z'],
    ['Tuesday 06:30 → same day 08:00', '2025-01-21T06:30:00Z', '2025-01-21T08:00:00.000Z'],
    ['Monday 00:00 → same day 08:00', '2025-01-20T00:00:00Z', '2025-01-20T08:00:00.000Z'],
    ['19:00 exactly is quiet', '2025-01-21T19:00:00Z', '2025-01-22T08:00:00.000Z'],
    ['07:59:59.999 is quiet', '2025-01-21T07:59:59.999Z', '2025-01-21T08:00:00.000Z'],
    ['08:00 exactly is allowed', '2025-01-21T08:00:00Z', '2025-01-21T08:00:00.000Z'],
    ['18:59:59.999 is allowed', '2025-01-21T18:59:59.999Z', '2025-01-21T18:59:59.999Z'],
    ['Tuesday 12:34:56.789 is unchanged', '2025-01-21T12:34:56.789Z', '2025-01-21T12:34:56.789Z'],
  ];
  it.each(cases)('%s', (_name, at, expected) => {
    expect(iso(nextAllowedTime(utc(at), LONDON))).toBe(expected);
  });

  it('returns a new Date even when unchanged', () => {
    const at = utc('2025-01-21T12:00:00Z');
    const result = nextAllowedTime(at, LONDON);
    expect(result).not.toBe(at);
    expect(result.getTime()).toBe(at.getTime());
  });

  it('honours configured quiet hours', () => {
    const cfg: LadderConfig = { ...DEFAULT_LADDER, quietStart: '22:00', quietEnd: '07:30' };
    expect(iso(nextAllowedTime(utc('2025-01-21T20:00:00Z'), LONDON, cfg))).toBe('2025-01-21T20:00:00.000Z');
    expect(iso(nextAllowedTime(utc('2025-01-21T22:15:00Z'), LONDON, cfg))).toBe('2025-01-22T07:30:00.000Z');
    expect(iso(nextAllowedTime(utc('2025-01-24T22:15:00Z'), LONDON, cfg))).toBe('2025-01-27T07:30:00.000Z');
  });

  it('equal quietStart and quietEnd means no quiet hours, but weekends still wait for Monday', () => {
    const cfg: LadderConfig = { ...DEFAULT_LADDER, quietStart: '00:00', quietEnd: '00:00' };
    expect(iso(nextAllowedTime(utc('2025-01-21T23:00:00Z'), LONDON, cfg))).toBe('2025-01-21T23:00:00.000Z');
    expect(iso(nextAllowedTime(utc('2025-01-18T11:00:00Z'), LONDON, cfg))).toBe('2025-01-20T00:00:00.000Z');
  });
});

describe('nextAllowedTime: the recipient time zone decides', () => {
  it('Tuesday 03:00Z: evening in Los Angeles (held to 08:00 PST), midday in Tokyo (unchanged)', () => {
    const at = utc('2025-01-21T03:00:00Z'); // LA: Mon 19:00 PST; Tokyo: Tue 12:00 JST
    expect(iso(nextAllowedTime(at, 'America/Los_Angeles'))).toBe('2025-01-21T16:00:00.000Z'); // Tue 08:00 PST
    expect(iso(nextAllowedTime(at, 'Asia/Tokyo'))).toBe('2025-01-21T03:00:00.000Z');
  });

  it('Friday 23:30Z: still Friday afternoon in Los Angeles, already Saturday in Tokyo', () => {
    const at = utc('2025-01-24T23:30:00Z'); // LA: Fri 15:30 PST; Tokyo: Sat 08:30 JST
    expect(iso(nextAllowedTime(at, 'America/Los_Angeles'))).toBe('2025-01-24T23:30:00.000Z');
    expect(iso(nextAllowedTime(at, 'Asia/Tokyo'))).toBe('2025-01-26T23:00:00.000Z'); // Mon 27 08:00 JST
  });

  it('weekends are counted in the recipient zone too', () => {
    const sentAt = utc('2025-01-16T23:00:00Z'); // LA: Thu 15:00; Tokyo: Fri 08:00
    const la = addWorkingDays(sentAt, 1, 'America/Los_Angeles'); // Fri 17 15:00 PST
    const tokyo = addWorkingDays(sentAt, 1, 'Asia/Tokyo'); // Mon 20 08:00 JST
    expect(iso(la)).toBe('2025-01-17T23:00:00.000Z');
    expect(iso(tokyo)).toBe('2025-01-19T23:00:00.000Z');
  });

  it('rejects an unknown time zone', () => {
    expect(() => nextAllowedTime(utc('2025-01-21T12:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => planLadder('pulse', utc('2025-01-21T12:00:00Z'), 'Nowhere/Special')).toThrow(RangeError);
  });
});

describe('across the London DST changes', () => {
  it('08:00 local is 07:00Z in summer: Friday 20:00 GMT before the spring change → Monday 08:00 BST', () => {
    expect(iso(nextAllowedTime(utc('2025-03-28T20:00:00Z'), LONDON))).toBe('2025-03-31T07:00:00.000Z');
  });

  it('08:00 local is 08:00Z in winter: Friday 20:00 BST before the autumn change → Monday 08:00 GMT', () => {
    expect(iso(nextAllowedTime(utc('2025-10-24T19:00:00Z'), LONDON))).toBe('2025-10-27T08:00:00.000Z');
  });

  it('quiet hours follow local time: 18:30Z is 19:30 BST (quiet) in June but 18:30 GMT (allowed) in January', () => {
    expect(iso(nextAllowedTime(utc('2025-06-10T18:30:00Z'), LONDON))).toBe('2025-06-11T07:00:00.000Z');
    expect(iso(nextAllowedTime(utc('2025-01-21T18:30:00Z'), LONDON))).toBe('2025-01-21T18:30:00.000Z');
  });

  it('working days keep the local time of day across the change', () => {
    // Thu 27 Mar 17:00 GMT + 2 → Mon 31 Mar 17:00 BST; Thu 23 Oct 17:00 BST + 2 → Mon 27 Oct 17:00 GMT
    expect(iso(addWorkingDays(utc('2025-03-27T17:00:00Z'), 2, LONDON))).toBe('2025-03-31T16:00:00.000Z');
    expect(iso(addWorkingDays(utc('2025-10-23T16:00:00Z'), 2, LONDON))).toBe('2025-10-27T17:00:00.000Z');
  });

  it('a whole ladder across the spring change', () => {
    expect(planIso(planLadder('session_feedback', utc('2025-03-27T17:00:00Z'), LONDON))).toEqual([
      ['remind_1', '2025-03-31T16:00:00.000Z'], // Mon 17:00 BST
      ['remind_2', '2025-04-03T16:00:00.000Z'], // Fri Mon Tue Wed Thu → Thu 3 Apr 17:00 BST
      ['escalate', '2025-04-07T16:00:00.000Z'], // Fri(1) Mon(2)
      ['close', '2025-04-09T16:00:00.000Z'], // Tue(1) Wed(2)
    ]);
  });

  it('a local time that does not exist (clocks forward) moves forward by the gap', () => {
    // Jerusalem went 02:00 → 03:00 on Friday 28 Mar 2025 (a weekday). quietEnd 02:30 that morning → 03:30 IDT (UTC+3).
    const cfg: LadderConfig = { ...DEFAULT_LADDER, quietEnd: '02:30' };
    expect(iso(nextAllowedTime(utc('2025-03-27T18:00:00Z'), 'Asia/Jerusalem', cfg))).toBe('2025-03-28T00:30:00.000Z');
  });

  it('a local time that occurs twice (clocks back) takes the first one', () => {
    // Cairo went 24:00 EEST → 23:00 EET on Thursday 30 Oct 2025, so 23:30 happened at 20:30Z and again at 21:30Z.
    expect(iso(addWorkingDays(utc('2025-10-28T20:30:00Z'), 2, 'Africa/Cairo'))).toBe('2025-10-30T20:30:00.000Z');
  });
});

describe('addWorkingDays', () => {
  it('0 days leaves the instant alone', () => {
    expect(iso(addWorkingDays(utc('2025-01-18T10:00:00Z'), 0, LONDON))).toBe('2025-01-18T10:00:00.000Z');
  });

  it('Friday + 1 → Monday; Saturday + 1 → Monday; Friday + 5 → next Friday', () => {
    expect(iso(addWorkingDays(utc('2025-01-17T09:15:00Z'), 1, LONDON))).toBe('2025-01-20T09:15:00.000Z');
    expect(iso(addWorkingDays(utc('2025-01-18T09:15:00Z'), 1, LONDON))).toBe('2025-01-20T09:15:00.000Z');
    expect(iso(addWorkingDays(utc('2025-01-17T09:15:00Z'), 5, LONDON))).toBe('2025-01-24T09:15:00.000Z');
  });

  it('crosses a month and year end', () => {
    // Tue 30 Dec 2025 + 3 → Wed 31, Thu 1 Jan, Fri 2 Jan (no public holidays are modelled)
    expect(iso(addWorkingDays(utc('2025-12-30T10:00:00Z'), 3, LONDON))).toBe('2026-01-02T10:00:00.000Z');
  });

  it('test mode adds days × workingDayMs without skipping weekends', () => {
    expect(iso(addWorkingDays(utc('2025-01-18T10:00:00Z'), 2, LONDON, TEST_MODE))).toBe('2025-01-18T10:00:02.000Z');
    expect(iso(addWorkingDays(utc('2025-01-18T10:00:00Z'), 1.5, LONDON, TEST_MODE))).toBe('2025-01-18T10:00:01.500Z');
  });

  it('rejects negative or fractional production days and bad dates', () => {
    expect(() => addWorkingDays(utc('2025-01-21T10:00:00Z'), -1, LONDON)).toThrow(RangeError);
    expect(() => addWorkingDays(utc('2025-01-21T10:00:00Z'), 1.5, LONDON)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(Number.NaN), 1, LONDON)).toThrow(RangeError);
  });
});

describe('test mode: workingDayMs 1000 runs the ladder in seconds', () => {
  const sentAt = utc('2025-01-21T10:00:00Z'); // Tuesday 10:00 London

  const offsets = (plan: { step: LadderStep; dueAt: Date }[]) => plan.map(({ step, dueAt }) => [step, dueAt.getTime() - sentAt.getTime()]);

  it('session feedback: +2 s, +5 s, +7 s, +9 s', () => {
    expect(offsets(planLadder('session_feedback', sentAt, LONDON, TEST_MODE))).toEqual([
      ['remind_1', 2000],
      ['remind_2', 5000],
      ['escalate', 7000],
      ['close', 9000],
    ]);
  });

  it('pulse: +2 s, +5 s, +7 s', () => {
    expect(offsets(planLadder('pulse', sentAt, LONDON, TEST_MODE))).toEqual([
      ['remind_1', 2000],
      ['remind_2', 5000],
      ['close', 7000],
    ]);
  });

  it('quiet hours still apply to what is sent, but close is never shifted', () => {
    const late = utc('2025-01-21T18:59:52Z'); // Tuesday, 8 s before quiet hours
    expect(planIso(planLadder('session_feedback', late, LONDON, TEST_MODE))).toEqual([
      ['remind_1', '2025-01-21T18:59:54.000Z'],
      ['remind_2', '2025-01-21T18:59:57.000Z'],
      ['escalate', '2025-01-21T18:59:59.000Z'],
      ['close', '2025-01-21T19:00:01.000Z'], // in quiet hours, left alone: it sends nothing
    ]);
  });
});

describe('planLadder invariants', () => {
  const zones = ['Europe/London', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'];
  const localClock = (at: Date, timeZone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

  it.each(zones)('%s: every hour over March–April 2025: ordered, sent steps on weekdays 08:00–18:59', (zone) => {
    const start = Date.parse('2025-03-20T00:00:00Z');
    for (let h = 0; h < 24 * 30; h += 1) {
      const sentAt = new Date(start + h * 3_600_000);
      const plan = planLadder('session_feedback', sentAt, zone);
      let previous = sentAt.getTime();
      for (const { step, dueAt } of plan) {
        expect(dueAt.getTime()).toBeGreaterThan(previous);
        previous = dueAt.getTime();
        if (step === 'close') continue;
        const clock = localClock(dueAt, zone); // e.g. "Mon 08:00"
        const [weekday, time] = clock.split(' ') as [string, string];
        expect(['Sat', 'Sun']).not.toContain(weekday);
        expect(time >= '08:00' && time < '19:00').toBe(true);
      }
    }
  });

  it('nextAllowedTime never goes backwards and is idempotent', () => {
    const start = Date.parse('2025-03-27T00:00:00Z');
    for (let m = 0; m < 7 * 24 * 60; m += 17) {
      const at = new Date(start + m * 60_000);
      const next = nextAllowedTime(at, LONDON);
      expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(nextAllowedTime(next, LONDON).getTime()).toBe(next.getTime());
    }
  });
});

describe('configuration is checked', () => {
  const sentAt = utc('2025-01-21T10:00:00Z');
  const bad: [string, Partial<LadderConfig>][] = [
    ['one reminder offset', { reminderOffsets: [2] }],
    ['three reminder offsets', { reminderOffsets: [1, 2, 3] }],
    ['offsets not increasing', { reminderOffsets: [5, 2] }],
    ['zero offset', { reminderOffsets: [0, 2] }],
    ['zero escalateAfter', { escalateAfter: 0 }],
    ['negative closeAfter', { closeAfter: -1 }],
    ['quietStart not HH:MM', { quietStart: '7pm' }],
    ['quietEnd out of range', { quietEnd: '24:00' }],
    ['workingDayMs zero', { workingDayMs: 0 }],
    ['workingDayMs fractional', { workingDayMs: 1.5 }],
  ];
  it.each(bad)('%s', (_name, patch) => {
    expect(() => planLadder('session_feedback', sentAt, LONDON, { ...DEFAULT_LADDER, ...patch })).toThrow(RangeError);
  });
});

describe('latestStep', () => {
  test('is the furthest step recorded, whatever order the records come in', () => {
    expect(latestStep([])).toBe('notify');
    expect(latestStep(['remind_2', 'notify', 'remind_1'])).toBe('remind_2');
    expect(latestStep(['close', 'escalate'])).toBe('close');
  });
});

describe('shouldFire', () => {
  const open: LadderState = { answered: false, enrolmentWithdrawn: false, programmeEnded: false, lastStepDone: null };
  const steps: LadderStep[] = ['notify', 'remind_1', 'remind_2', 'escalate', 'close'];

  it('fires the next step of an open request', () => {
    expect(shouldFire('notify', open)).toBe(true);
    expect(shouldFire('remind_1', { ...open, lastStepDone: 'notify' })).toBe(true);
    expect(shouldFire('remind_2', { ...open, lastStepDone: 'remind_1' })).toBe(true);
    expect(shouldFire('escalate', { ...open, lastStepDone: 'remind_2' })).toBe(true);
    expect(shouldFire('close', { ...open, lastStepDone: 'escalate' })).toBe(true);
    expect(shouldFire('close', { ...open, lastStepDone: 'remind_2' })).toBe(true); // pulse: no escalation
  });

  it.each([
    ['answered', { answered: true }],
    ['enrolment withdrawn', { enrolmentWithdrawn: true }],
    ['programme ended', { programmeEnded: true }],
  ] as const)('never fires once %s', (_name, patch) => {
    for (const step of steps) {
      expect(shouldFire(step, { ...open, ...patch })).toBe(false);
      expect(shouldFire(step, { ...open, ...patch, lastStepDone: 'notify' })).toBe(false);
    }
  });

  it('is idempotent: a step already done, or behind a later one, does nothing', () => {
    expect(shouldFire('notify', { ...open, lastStepDone: 'notify' })).toBe(false);
    expect(shouldFire('remind_1', { ...open, lastStepDone: 'remind_1' })).toBe(false);
    expect(shouldFire('remind_1', { ...open, lastStepDone: 'remind_2' })).toBe(false);
    expect(shouldFire('remind_2', { ...open, lastStepDone: 'escalate' })).toBe(false);
    expect(shouldFire('escalate', { ...open, lastStepDone: 'close' })).toBe(false);
    expect(shouldFire('close', { ...open, lastStepDone: 'close' })).toBe(false);
  });

  it('a step still fires when an earlier one was missed', () => {
    expect(shouldFire('remind_2', { ...open, lastStepDone: 'notify' })).toBe(true);
  });
});

describe('compressed test ladders', () => {
  test('with respectQuietHours false, steps are exactly the configured offsets (no quiet-hours shift)', () => {
    // Saturday 23:00 in London: with quiet hours it would move to Monday 08:00.
    const sent = new Date('2025-06-14T22:00:00Z');
    const cfg = { ...DEFAULT_LADDER, workingDayMs: 1000, respectQuietHours: false };
    expect(planLadder('session_feedback', sent, 'Europe/London', cfg).map((p) => p.dueAt.getTime() - sent.getTime())).toEqual([2000, 5000, 7000, 9000]);
    const held = planLadder('session_feedback', sent, 'Europe/London', { ...cfg, respectQuietHours: true });
    expect(held[0]!.dueAt.toISOString()).toBe('2025-06-16T07:00:00.000Z');
  });
});

/* A Friday–Saturday weekend (ISO 5,6), as in much of the Gulf. Asia/Dubai is UTC+4 all year (no DST), so
   local 08:00 is 04:00Z. Calendar (January 2025, hand-checked from Wed 1 Jan): Wed 15, Thu 16, Fri 17, Sat 18,
   Sun 19, Mon 20, Tue 21, Wed 22, Thu 23, Fri 24, Sat 25, Sun 26, Mon 27, Tue 28. */
describe('a configurable weekend: Friday–Saturday in Asia/Dubai', () => {
  const DUBAI = 'Asia/Dubai';
  const GULF: LadderConfig = { ...DEFAULT_LADDER, weekendDays: [5, 6] };

  const cases: [string, string, string][] = [
    ['Thursday 20:00 → Sunday 08:00', '2025-01-16T16:00:00Z', '2025-01-19T04:00:00.000Z'],
    ['Friday 11:00 → Sunday 08:00', '2025-01-17T07:00:00Z', '2025-01-19T04:00:00.000Z'],
    ['Saturday 11:00 → Sunday 08:00', '2025-01-18T07:00:00Z', '2025-01-19T04:00:00.000Z'],
    ['Saturday 23:30 → Sunday 08:00', '2025-01-18T19:30:00Z', '2025-01-19T04:00:00.000Z'],
    ['Sunday 03:00 → same day 08:00', '2025-01-18T23:00:00Z', '2025-01-19T04:00:00.000Z'],
    ['Sunday 11:00 is a working day: unchanged', '2025-01-19T07:00:00Z', '2025-01-19T07:00:00.000Z'],
    ['Thursday 11:00 is a working day: unchanged', '2025-01-16T07:00:00Z', '2025-01-16T07:00:00.000Z'],
  ];
  it.each(cases)('nextAllowedTime: %s', (_name, at, expected) => {
    expect(iso(nextAllowedTime(utc(at), DUBAI, GULF))).toBe(expected);
  });

  it('the same instants under the default Saturday–Sunday weekend, for contrast', () => {
    expect(iso(nextAllowedTime(utc('2025-01-17T07:00:00Z'), DUBAI))).toBe('2025-01-17T07:00:00.000Z'); // Friday 11:00: allowed
    expect(iso(nextAllowedTime(utc('2025-01-19T07:00:00Z'), DUBAI))).toBe('2025-01-20T04:00:00.000Z'); // Sunday 11:00 → Monday 08:00
  });

  it('addWorkingDays counts Sunday to Thursday and keeps the local time of day', () => {
    // Thu 16 10:00 + 1 → Sun 19 10:00; + 3 → Sun(1) Mon(2) Tue(3); Fri 17 (weekend) + 1 → Sun 19
    expect(iso(addWorkingDays(utc('2025-01-16T06:00:00Z'), 1, DUBAI, GULF))).toBe('2025-01-19T06:00:00.000Z');
    expect(iso(addWorkingDays(utc('2025-01-16T06:00:00Z'), 3, DUBAI, GULF))).toBe('2025-01-21T06:00:00.000Z');
    expect(iso(addWorkingDays(utc('2025-01-17T06:00:00Z'), 1, DUBAI, GULF))).toBe('2025-01-19T06:00:00.000Z');
  });

  it('a whole ladder sent Wednesday 15 Jan 17:00 Dubai skips Friday and Saturday', () => {
    expect(planIso(planLadder('session_feedback', utc('2025-01-15T13:00:00Z'), DUBAI, GULF))).toEqual([
      ['remind_1', '2025-01-19T13:00:00.000Z'], // Thu(1), Fri/Sat skipped, Sun(2) 17:00
      ['remind_2', '2025-01-22T13:00:00.000Z'], // Thu(1) Sun(2) Mon(3) Tue(4) Wed(5)
      ['escalate', '2025-01-26T13:00:00.000Z'], // from remind_2: Thu(1), Sun(2)
      ['close', '2025-01-28T13:00:00.000Z'], // from escalate: Mon(1), Tue(2)
    ]);
    // With Saturday–Sunday the first reminder would have gone out on Friday 17 at 17:00.
    expect(iso(planLadder('session_feedback', utc('2025-01-15T13:00:00Z'), DUBAI)[0]!.dueAt)).toBe('2025-01-17T13:00:00.000Z');
  });

  it('test mode: a ladder started on the weekend waits for the first working morning', () => {
    // Friday 10:00 Dubai, workingDayMs 1000: +2 s and +5 s fall on Friday, so both go out Sunday 08:00;
    // escalate is 2 s after that (Sunday is a working day), close 2 s later.
    expect(planIso(planLadder('session_feedback', utc('2025-01-17T06:00:00Z'), DUBAI, { ...GULF, workingDayMs: 1000 }))).toEqual([
      ['remind_1', '2025-01-19T04:00:00.000Z'],
      ['remind_2', '2025-01-19T04:00:00.000Z'],
      ['escalate', '2025-01-19T04:00:02.000Z'],
      ['close', '2025-01-19T04:00:04.000Z'],
    ]);
  });

  it('a one-day weekend (Sunday only): Saturday is a working day', () => {
    const sundayOnly: LadderConfig = { ...DEFAULT_LADDER, weekendDays: [7] };
    expect(iso(nextAllowedTime(utc('2025-01-18T11:00:00Z'), LONDON, sundayOnly))).toBe('2025-01-18T11:00:00.000Z'); // Sat 11:00
    expect(iso(nextAllowedTime(utc('2025-01-19T11:00:00Z'), LONDON, sundayOnly))).toBe('2025-01-20T08:00:00.000Z'); // Sun → Mon 08:00
    expect(iso(addWorkingDays(utc('2025-01-17T09:15:00Z'), 1, LONDON, sundayOnly))).toBe('2025-01-18T09:15:00.000Z'); // Fri + 1 → Sat
  });

  it('every hour over February 2025: nothing is sent on a Friday or Saturday in Dubai', () => {
    const start = Date.parse('2025-02-01T00:00:00Z');
    const weekday = (at: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: DUBAI, weekday: 'short' }).format(at);
    for (let h = 0; h < 24 * 28; h += 1) {
      for (const { step, dueAt } of planLadder('session_feedback', new Date(start + h * 3_600_000), DUBAI, GULF)) {
        if (step !== 'close') expect(['Fri', 'Sat']).not.toContain(weekday(dueAt));
      }
    }
  });

  it.each([
    ['day 0', [0]],
    ['day 8', [8]],
    ['a fraction', [5.5]],
    ['a day twice', [6, 6]],
    ['no working day left', [1, 2, 3, 4, 5, 6, 7]],
  ])('rejects a weekend with %s', (_name, weekendDays) => {
    const cfg: LadderConfig = { ...DEFAULT_LADDER, weekendDays };
    expect(() => planLadder('session_feedback', utc('2025-01-21T10:00:00Z'), LONDON, cfg)).toThrow(RangeError);
    expect(() => nextAllowedTime(utc('2025-01-21T10:00:00Z'), LONDON, cfg)).toThrow(RangeError);
    expect(() => addWorkingDays(utc('2025-01-21T10:00:00Z'), 1, LONDON, cfg)).toThrow(RangeError);
  });
});

describe('REMINDER_WEEKEND_DAYS in the environment', () => {
  const weekendFrom = (value?: string) => loadConfig(value === undefined ? {} : { REMINDER_WEEKEND_DAYS: value }).REMINDER_WEEKEND_DAYS;

  it('defaults to Saturday and Sunday', () => {
    expect(weekendFrom()).toEqual([6, 7]);
    expect(weekendFrom('')).toEqual([6, 7]);
  });

  it('reads a comma-separated list of ISO weekdays', () => {
    expect(weekendFrom('5,6')).toEqual([5, 6]);
    expect(weekendFrom(' 5 , 6 ')).toEqual([5, 6]);
    expect(weekendFrom('7')).toEqual([7]);
  });

  it.each(['0', '8', 'fri,sat', '5,5', '1,2,3,4,5,6,7', '5.5'])('refuses %p', (value) => {
    expect(() => weekendFrom(value)).toThrow(/REMINDER_WEEKEND_DAYS/);
  });
});

describe("the organisation's own week", () => {
  const cfg = { reminderOffsets: [2, 5], escalateAfter: 2, closeAfter: 2, quietStart: '19:00', quietEnd: '08:00', workingDayMs: 86_400_000, respectQuietHours: true, weekendDays: [6, 7] };

  test("its admin's quiet hours and weekend replace the service's; what is unset or invalid keeps the default", () => {
    expect(ladderForOrganisation(cfg, { quietStart: '18:00', quietEnd: '09:00', weekendDays: [5, 6] })).toMatchObject({ quietStart: '18:00', quietEnd: '09:00', weekendDays: [5, 6] });
    expect(ladderForOrganisation(cfg, { quietStart: null, quietEnd: null, weekendDays: null })).toEqual(cfg);
    expect(ladderForOrganisation(cfg, { quietStart: '7pm', quietEnd: '08:00', weekendDays: [1, 2, 3, 4, 5, 6, 7] })).toEqual(cfg);
    expect(ladderForOrganisation(cfg, null)).toEqual(cfg);
  });

  test("a person's own working hours still come first", () => {
    const org = ladderForOrganisation(cfg, { quietStart: '18:00', quietEnd: '09:00', weekendDays: [5, 6] });
    expect(ladderForRecipient(org, { days: [1, 2, 3, 4], start: '07:00', end: '15:00' })).toMatchObject({ quietStart: '15:00', quietEnd: '07:00', weekendDays: [5, 6, 7] });
  });
});

describe('groupSteps: one delayed job per group of a batch due together', () => {
  const nine = new Date('2025-01-20T09:00:00Z');
  const ten = new Date('2025-01-20T10:00:00Z');
  const plan = (at: Date) => [
    { step: 'remind_1' as const, dueAt: at },
    { step: 'close' as const, dueAt: new Date(at.getTime() + DAY) },
  ];
  const DAY = 86_400_000;

  test('requests sharing a step and due time share a job; another due time is another job', () => {
    const groups = groupSteps([
      { requestId: 'b', plan: plan(nine) },
      { requestId: 'a', plan: plan(nine) },
      { requestId: 'c', plan: plan(ten) },
    ]);
    expect(groups.map((g) => [g.step, g.dueAt.toISOString(), g.requestIds])).toEqual([
      ['remind_1', nine.toISOString(), ['a', 'b']],
      ['close', new Date(nine.getTime() + DAY).toISOString(), ['a', 'b']],
      ['remind_1', ten.toISOString(), ['c']],
      ['close', new Date(ten.getTime() + DAY).toISOString(), ['c']],
    ]);
  });

  test('the same groups whatever order the batch was read in', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `r${i}`);
    const forward = groupSteps(ids.map((requestId) => ({ requestId, plan: plan(nine) })));
    const backward = groupSteps([...ids].reverse().map((requestId) => ({ requestId, plan: plan(nine) })));
    expect(forward.map((g) => g.requestIds)).toEqual([ids, ids]);
    expect(backward).toEqual(forward);
  });
});
