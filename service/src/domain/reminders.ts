/**
 * The chasing ladder for a feedback request: the first notification, two reminders, an escalation
 * (session feedback only: a digest to the programme owner), then closing as unanswered.
 *
 *   notify ──► remind_1 ──► remind_2 ──► escalate ──► close        (session_feedback)
 *   notify ──► remind_1 ──► remind_2 ──────────────► close         (pulse: never escalated to the manager being rated)
 *
 * Pure functions only: no clock, no I/O. Time zones are handled with `Intl` (IANA names, e.g. 'Europe/London').
 * "Weekend" means the configured weekend days (ISO weekdays, Saturday and Sunday unless `weekendDays` says otherwise,
 * e.g. Friday and Saturday in much of the Gulf) in the recipient's zone. Quiet hours are [quietStart, quietEnd) in local
 * wall time; when quietStart > quietEnd the window wraps midnight (the default 19:00–08:00), and when they are
 * equal there are no quiet hours.
 */

export type LadderStep = 'notify' | 'remind_1' | 'remind_2' | 'escalate' | 'close';
export type RequestKind = 'session_feedback' | 'pulse';

export const FEEDBACK_STATUSES = ['open', 'answered', 'closed_unanswered', 'cancelled'] as const;

export interface LadderConfig {
  /** When remind_1 and remind_2 are due, in working days after the notification was sent. Exactly two, strictly increasing. */
  reminderOffsets: readonly number[];
  /** Working days after the last reminder's due time before the escalation. */
  escalateAfter: number;
  /** Working days after the escalation (or, for a pulse, the last reminder) before the request closes as unanswered. */
  closeAfter: number;
  /** Start of quiet hours, local 'HH:MM'. */
  quietStart: string;
  /** End of quiet hours, local 'HH:MM'; reminders held back by quiet hours or a weekend go out at this time. */
  quietEnd: string;
  /** Length of a "working day" in ms: 86_400_000 in production; tests use e.g. 1000 to run the whole ladder in seconds. */
  workingDayMs: number;
  /**
   * Hold reminders back outside the recipient's working hours. Only a compressed test ladder
   * (workingDayMs far below a day) turns this off; the rule itself is unit-tested on fixed dates.
   */
  respectQuietHours?: boolean;
  /**
   * The weekend, as ISO weekday numbers (1 = Monday … 7 = Sunday), in the recipient's zone: nothing is sent on these days
   * and they are not counted as working days. Default Saturday and Sunday ([6, 7]); [5, 6] is a Friday–Saturday weekend.
   * Each day at most once, and at least one day of the week must stay a working day.
   */
  weekendDays?: readonly number[];
  /**
   * A working day that crosses midnight (a night shift such as 22:00–06:00): quietStart is the shift's end and
   * quietEnd its start, and a moment before the shift's end belongs to the shift that began the evening before, so
   * it is allowed only when that evening was a working day.
   */
  overnight?: boolean;
}

/** ISO weekday numbers of Saturday and Sunday. */
export const DEFAULT_WEEKEND_DAYS: readonly number[] = Object.freeze([6, 7]);

export const DEFAULT_LADDER: Readonly<LadderConfig> = Object.freeze({
  reminderOffsets: Object.freeze([2, 5]),
  escalateAfter: 2,
  closeAfter: 2,
  quietStart: '19:00',
  quietEnd: '08:00',
  workingDayMs: 86_400_000,
  weekendDays: DEFAULT_WEEKEND_DAYS,
});

export interface PlannedStep {
  step: LadderStep;
  dueAt: Date;
}

/** One delayed job's worth of a batch: the requests whose step comes due at the same time. */
export interface StepGroup {
  step: LadderStep;
  dueAt: Date;
  requestIds: string[];
}

/**
 * The steps of a batch's ladders grouped by step and due time (requests in id order, so
 * scheduling the same batch again gives the same groups): the participants of a session who share
 * a working week are reminded by one job per batch, which reads and writes its group together.
 * Measured on two cores, splitting a group further only made its parts slower side by side.
 */
export function groupSteps(plans: readonly { requestId: string; plan: readonly PlannedStep[] }[]): StepGroup[] {
  const groups = new Map<string, StepGroup>();
  for (const { requestId, plan } of plans) {
    for (const { step, dueAt } of plan) {
      const key = `${step} ${dueAt.getTime()}`;
      const group = groups.get(key) ?? { step, dueAt, requestIds: [] };
      group.requestIds.push(requestId);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((g) => ({ ...g, requestIds: g.requestIds.sort() }));
}

/** What the ladder needs to know about a request when a step comes due. */
export interface LadderState {
  answered: boolean;
  enrolmentWithdrawn: boolean;
  programmeEnded: boolean;
  lastStepDone: LadderStep | null;
}

const DAY_MS = 86_400_000;
/** The steps of a ladder in the order they happen. */
export const LADDER_ORDER: readonly LadderStep[] = ['notify', 'remind_1', 'remind_2', 'escalate', 'close'];

/** The later of the steps recorded for one request (steps are only ever recorded forwards). */
export function latestStep(steps: Iterable<LadderStep>): LadderStep {
  let latest: LadderStep = 'notify';
  for (const step of steps) if (LADDER_ORDER.indexOf(step) > LADDER_ORDER.indexOf(latest)) latest = step;
  return latest;
}

/** The steps of a request's ladder, in order. A pulse has no 'escalate' step. */
export function ladderFor(kind: RequestKind): LadderStep[] {
  switch (kind) {
    case 'session_feedback':
      return [...LADDER_ORDER];
    case 'pulse':
      return LADDER_ORDER.filter((step) => step !== 'escalate');
    default: {
      const unknown: never = kind;
      throw new RangeError(`Unknown request kind: ${String(unknown)}`);
    }
  }
}

/**
 * The earliest instant at or after `instant` that is outside quiet hours and on a working day, in `timeZone`.
 * An allowed instant is returned unchanged (as a new Date). With the usual wrap-around quiet window (default
 * 19:00–08:00) anything held back goes out at quietEnd local time: the same morning if it fell in the small hours
 * of a working day, otherwise the next working day (with the default weekend, Friday 20:00 and Saturday 11:00 both
 * go to Monday 08:00; with a Friday–Saturday weekend, Thursday 20:00 and Friday 11:00 go to Sunday 08:00). The local
 * time is converted back to UTC with that day's own offset, so it is right across DST changes (London 08:00 is
 * 07:00Z in summer and 08:00Z in winter).
 */
export function nextAllowedTime(instant: Date, timeZone: string, cfg: LadderConfig = DEFAULT_LADDER): Date {
  const quiet = quietWindow(cfg);
  const weekend = weekendOf(cfg);
  const local = localParts(instant, timeZone);
  const date = dateOf(local);
  const tod = timeOfDayMs(local);
  if (isNightShift(cfg, quiet)) {
    // In the small hours of a shift that began on a working evening, or after today's start on a working day.
    if (tod < quiet.start && !isWeekend(addCalendarDays(date, -1), weekend)) return new Date(instant.getTime());
    if (tod >= quiet.end && !isWeekend(date, weekend)) return new Date(instant.getTime());
    // Else the start of the next shift: this evening's if today is a working day and it is still ahead.
    let next = tod < quiet.end ? date : addCalendarDays(date, 1);
    while (isWeekend(next, weekend)) next = addCalendarDays(next, 1);
    return wallTimeToInstant(next, quiet.end, timeZone);
  }
  if (!isWeekend(date, weekend)) {
    if (!isQuiet(tod, quiet)) return new Date(instant.getTime());
    // In quiet hours before they end today (the small hours, or inside a window that does not wrap midnight).
    if (tod < quiet.end) return wallTimeToInstant(date, quiet.end, timeZone);
  }
  let next = addCalendarDays(date, 1);
  while (isWeekend(next, weekend)) next = addCalendarDays(next, 1);
  // The first allowed moment of a fresh working day: quietEnd when midnight is quiet (the usual case), else midnight.
  return wallTimeToInstant(next, isQuiet(0, quiet) ? quiet.end : 0, timeZone);
}

/**
 * `start` plus `days` working days.
 *
 * Production (workingDayMs === 86_400_000): step over calendar days in `timeZone`, counting only days outside the
 * weekend (`weekendDays`, default Saturday and Sunday), and keep the local time of day (Thursday 17:00 + 2 → Monday
 * 17:00, whatever the UTC offset is on Monday). A start on a weekend counts from the next working day (Saturday + 1 →
 * Monday). `days` must be a whole number.
 *
 * Test mode (any other workingDayMs): simply `start + days * workingDayMs`. No weekend skipping and no calendar
 * arithmetic at all, so a ladder with workingDayMs 1000 runs in seconds whatever day the test runs on.
 * (Quiet hours are not this function's business; planLadder applies them in both modes.)
 */
export function addWorkingDays(start: Date, days: number, timeZone: string, cfg: LadderConfig = DEFAULT_LADDER): Date {
  assertWorkingDayMs(cfg.workingDayMs);
  const startMs = validTime(start);
  formatterFor(timeZone); // reject an unknown zone in both modes
  const weekend = weekendOf(cfg); // and a weekend with no working day left
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`Working days must be a non-negative number, got ${days}`);
  if (cfg.workingDayMs !== DAY_MS) return new Date(startMs + days * cfg.workingDayMs);
  if (!Number.isInteger(days)) throw new RangeError(`Working days must be a whole number, got ${days}`);
  if (days === 0) return new Date(startMs);
  const local = localParts(start, timeZone);
  let date = dateOf(local);
  const tod = timeOfDayMs(local);
  // A night shift's small hours belong to the evening it began: the days are counted from that evening.
  const quiet = quietWindow(cfg);
  const smallHours = isNightShift(cfg, quiet) && tod < quiet.start;
  if (smallHours) date = addCalendarDays(date, -1);
  for (let counted = 0; counted < days; ) {
    date = addCalendarDays(date, 1);
    if (!isWeekend(date, weekend)) counted += 1;
  }
  if (smallHours) date = addCalendarDays(date, 1);
  return wallTimeToInstant(date, tod, timeZone);
}

/**
 * When each step after 'notify' is due, for a notification sent at `sentAt` to a recipient in `timeZone`.
 *
 * The rule, step by step (addWorkingDays as above, "shift" = nextAllowedTime):
 *   remind_1 = shift(sentAt + reminderOffsets[0] working days)
 *   remind_2 = shift(sentAt + reminderOffsets[1] working days)        both offsets count from the notification
 *   escalate = shift(remind_2.dueAt + escalateAfter working days)     from the reminder's actual (shifted) due time
 *   close    = previous.dueAt + closeAfter working days               previous = escalate, or remind_2 for a pulse
 * 'close' is not shifted: it sends nothing, it only marks the request unanswered.
 * Anchoring escalate/close on the previous step's shifted time keeps at least the configured gap between what
 * the recipient actually receives.
 */
export function planLadder(kind: RequestKind, sentAt: Date, timeZone: string, cfg: LadderConfig = DEFAULT_LADDER): PlannedStep[] {
  assertLadderConfig(cfg);
  validTime(sentAt);
  const [firstOffset, secondOffset] = cfg.reminderOffsets as readonly [number, number];
  const shifted = (at: Date) => (cfg.respectQuietHours === false ? at : nextAllowedTime(at, timeZone, cfg));
  const plan: PlannedStep[] = [];
  let previous = sentAt;
  for (const step of ladderFor(kind)) {
    let dueAt: Date;
    switch (step) {
      case 'notify':
        continue;
      case 'remind_1':
        dueAt = shifted(addWorkingDays(sentAt, firstOffset, timeZone, cfg));
        break;
      case 'remind_2':
        dueAt = shifted(addWorkingDays(sentAt, secondOffset, timeZone, cfg));
        break;
      case 'escalate':
        dueAt = shifted(addWorkingDays(previous, cfg.escalateAfter, timeZone, cfg));
        break;
      case 'close':
        dueAt = addWorkingDays(previous, cfg.closeAfter, timeZone, cfg);
        break;
    }
    plan.push({ step, dueAt });
    previous = dueAt;
  }
  return plan;
}

/**
 * Whether a step that has come due should act. The ladder stops for good once the request is answered, the
 * enrolment is withdrawn or the programme has ended: a reminder firing after that does nothing. A step that is
 * already done, or behind a later step that is done, does nothing either, so a redelivered job is harmless.
 * A step may still fire when an earlier one never ran (e.g. remind_2 after a lost remind_1).
 */
export function shouldFire(step: LadderStep, state: LadderState): boolean {
  if (state.answered || state.enrolmentWithdrawn || state.programmeEnded) return false;
  if (state.lastStepDone === null) return true;
  return LADDER_ORDER.indexOf(step) > LADDER_ORDER.indexOf(state.lastStepDone);
}

/**
 * The ladder of one recipient: where their own working hours and days are known (their mailbox
 * settings, or the HR file), reminders go out only inside them, in place of the tenant's quiet
 * hours and weekend: the quiet window runs from the end of their day to its start, and the days
 * they do not work are their weekend. Hours that end before they start are a night shift.
 */
export function ladderForRecipient(cfg: LadderConfig, hours: { days?: readonly number[] | null; start?: string | null; end?: string | null } | null | undefined): LadderConfig {
  const days = [...new Set(hours?.days ?? [])].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7);
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (!hours || !days.length) return cfg;
  const weekendDays = [1, 2, 3, 4, 5, 6, 7].filter((d) => !days.includes(d));
  // Days alone (no start and end): the organisation's hours, on the person's own days.
  if (hours.start == null && hours.end == null) return { ...cfg, weekendDays };
  if (!clock.test(hours.start ?? '') || !clock.test(hours.end ?? '') || hours.start === hours.end) return cfg;
  // An end before the start is a night shift: its days are the evenings it starts on.
  return { ...cfg, quietStart: hours.end!, quietEnd: hours.start!, weekendDays, overnight: hours.start! > hours.end! };
}

/** An organisation's own working week, where its admin set one: quiet hours and weekend days. */
export interface OrganisationWeek {
  quietStart?: string | null;
  quietEnd?: string | null;
  weekendDays?: readonly number[] | null;
}

/**
 * The ladder with the organisation's own quiet hours and weekend in place of the service's
 * defaults, where its admin set them (a person's own working hours still come first).
 */
export function ladderForOrganisation(cfg: LadderConfig, week: OrganisationWeek | null | undefined): LadderConfig {
  if (!week) return cfg;
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
  const hours = clock.test(week.quietStart ?? '') && clock.test(week.quietEnd ?? '') && week.quietStart !== week.quietEnd ? { quietStart: week.quietStart!, quietEnd: week.quietEnd! } : {};
  const days = week.weekendDays?.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7);
  return { ...cfg, ...hours, ...(days && days.length > 0 && days.length < 7 ? { weekendDays: [...new Set(days)] } : {}) };
}

// ── configuration ────────────────────────────────────────────────────────────────────────────────────────────

interface QuietWindow {
  start: number; // ms after local midnight
  end: number;
}

function assertLadderConfig(cfg: LadderConfig): void {
  assertWorkingDayMs(cfg.workingDayMs);
  const offsets = cfg.reminderOffsets;
  if (offsets.length !== 2) throw new RangeError(`reminderOffsets needs exactly two entries (remind_1, remind_2), got ${offsets.length}`);
  const [first, second] = offsets as readonly [number, number];
  if (!(Number.isFinite(first) && first > 0 && Number.isFinite(second) && second > first)) {
    throw new RangeError(`reminderOffsets must be positive and strictly increasing, got [${offsets.join(', ')}]`);
  }
  for (const [name, value] of [['escalateAfter', cfg.escalateAfter], ['closeAfter', cfg.closeAfter]] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  quietWindow(cfg);
  weekendOf(cfg);
}

function assertWorkingDayMs(ms: number): void {
  if (!(Number.isInteger(ms) && ms > 0)) throw new RangeError(`workingDayMs must be a positive whole number, got ${ms}`);
}

/** A night shift's ladder: its quiet window (the day between shifts) does not wrap midnight. */
function isNightShift(cfg: LadderConfig, quiet: QuietWindow): boolean {
  return !!cfg.overnight && quiet.start < quiet.end;
}

function quietWindow(cfg: LadderConfig): QuietWindow {
  return { start: parseClock(cfg.quietStart, 'quietStart'), end: parseClock(cfg.quietEnd, 'quietEnd') };
}

/** The configured weekend as a set of ISO weekdays (1 = Monday … 7 = Sunday), checked. */
function weekendOf(cfg: LadderConfig): ReadonlySet<number> {
  const days = cfg.weekendDays ?? DEFAULT_WEEKEND_DAYS;
  for (const day of days) {
    if (!(Number.isInteger(day) && day >= 1 && day <= 7)) throw new RangeError(`weekendDays must be ISO weekdays 1–7 (Monday = 1), got ${day}`);
  }
  const set = new Set(days);
  if (set.size !== days.length) throw new RangeError(`weekendDays lists a day twice: [${days.join(', ')}]`);
  // Without a working day the search for the next one would never end.
  if (set.size === 7) throw new RangeError('weekendDays must leave at least one working day in the week');
  return set;
}

function parseClock(value: string, name: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`${name} must be 'HH:MM' (00:00–23:59), got '${value}'`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

function isQuiet(tod: number, quiet: QuietWindow): boolean {
  if (quiet.start === quiet.end) return false;
  if (quiet.start < quiet.end) return tod >= quiet.start && tod < quiet.end;
  return tod >= quiet.start || tod < quiet.end;
}

// ── time zones via Intl ──────────────────────────────────────────────────────────────────────────────────────

interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number;
}

interface LocalDateTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown time zone (from Intl itself). */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function validTime(instant: Date): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date');
  return ms;
}

/** The wall-clock reading of `instant` in `timeZone`. */
function localParts(instant: Date | number, timeZone: string): LocalDateTime {
  const ms = typeof instant === 'number' ? instant : validTime(instant);
  const fields = new Map<string, number>();
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') fields.set(part.type, Number(part.value));
  }
  const field = (name: string): number => {
    const value = fields.get(name);
    if (value === undefined || !Number.isFinite(value)) throw new Error(`Intl gave no ${name} for ${timeZone}`);
    return value;
  };
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour') % 24, // some engines print midnight as 24
    minute: field('minute'),
    second: field('second'),
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The wall-clock reading as if it were UTC, in ms. */
function wallMs(date: CalendarDate, todMs = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(date.year, date.month - 1, date.day); // setUTCFullYear: years 0–99 are not shifted to 19xx
  return d.getTime() + todMs;
}

function dateOf(local: LocalDateTime): CalendarDate {
  return { year: local.year, month: local.month, day: local.day };
}

function timeOfDayMs(local: LocalDateTime): number {
  return ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
}

function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(wallMs(date) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whether the local calendar date falls on the weekend; `weekend` holds ISO weekdays (Sunday = 7). */
function isWeekend(date: CalendarDate, weekend: ReadonlySet<number>): boolean {
  const weekday = new Date(wallMs(date)).getUTCDay(); // 0 = Sunday … 6 = Saturday
  return weekend.has(weekday === 0 ? 7 : weekday);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`. */
function offsetMs(ms: number, timeZone: string): number {
  const local = localParts(ms, timeZone);
  return wallMs(local, timeOfDayMs(local)) - ms;
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` + `todMs`. The true offset is either the one in
 * force a day before or a day after (this assumes no two offset changes within 48 hours). When the wall time occurs
 * twice (clocks going back) the earlier instant wins; when it never occurs (clocks going forward) the result is
 * moved forward by the size of the gap (London 01:30 on the spring-forward day → 02:30 BST), like Temporal's
 * 'compatible' disambiguation.
 */
function wallTimeToInstant(date: CalendarDate, todMs: number, timeZone: string): Date {
  const wall = wallMs(date, todMs);
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((ms) => {
      const local = localParts(ms, timeZone);
      return wallMs(local, timeOfDayMs(local)) === wall;
    });
  return new Date(matches.length > 0 ? Math.min(...matches) : wall - before);
}
