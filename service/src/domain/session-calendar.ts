/**
 * Warnings for a programme's planned sessions: on the organisation's weekend, on a public holiday
 * where the session is held, or outside the working day. Advice for the owner, never a refusal:
 * some organisations do train on Saturdays.
 */

export const SESSION_WARNING_KINDS = ['weekend', 'holiday', 'outside_hours'] as const;
export type SessionWarningKind = (typeof SESSION_WARNING_KINDS)[number];

export interface SessionWarning {
  /** Position of the session in the plan. */
  index: number;
  kind: SessionWarningKind;
  message: string;
}

export interface PlannedSession {
  title: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
}

/** The organisation's week: ISO weekdays off, and the working day as local HH:MM. */
export interface WorkingWeek {
  weekendDays: readonly number[];
  dayStart: string;
  dayEnd: string;
}

/** The public holiday on a local date (YYYY-MM-DD) where `timeZone` is, with its region, or null. */
export type HolidayLookup = (timeZone: string, localDate: string) => { name: string; region: string } | null;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ISO_DAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The local date, ISO weekday and minute of the day of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { date: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: ISO_DAY[parts.weekday!]!, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const toClock = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function sessionWarnings(sessions: readonly PlannedSession[], week: WorkingWeek, holidayOn: HolidayLookup): SessionWarning[] {
  const warnings: SessionWarning[] = [];
  sessions.forEach((s, index) => {
    if (Number.isNaN(s.startsAt.getTime())) return;
    const local = localParts(s.startsAt, s.timeZone);
    if (week.weekendDays.includes(local.weekday)) {
      warnings.push({ index, kind: 'weekend', message: `"${s.title}" is on a ${WEEKDAYS[local.weekday - 1]}, a weekend day for your organisation.` });
    }
    const holiday = holidayOn(s.timeZone, local.date);
    if (holiday) warnings.push({ index, kind: 'holiday', message: `"${s.title}" is on ${holiday.name}, a public holiday in ${holiday.region}.` });
    const start = local.minutes;
    const end = start + s.durationMinutes;
    const dayStart = toMinutes(week.dayStart);
    const dayEnd = toMinutes(week.dayEnd);
    if (start < dayStart || end > dayEnd) {
      warnings.push({
        index,
        kind: 'outside_hours',
        message: `"${s.title}" runs ${toClock(start)}–${toClock(end)} ${s.timeZone} time, outside the working day (${week.dayStart}–${week.dayEnd}).`,
      });
    }
  });
  return warnings;
}

/**
 * The notice title for a session that moved or was cancelled, with the new time in the
 * recipient's own zone first and the session's beside it when the two differ (a workshop held
 * from London, read in New York).
 */
export function changedSessionTitle(s: { title: string; startsAt: Date; timeZone: string; cancelled: boolean }, recipientZone: string): string {
  if (s.cancelled) return `Cancelled: ${s.title}`;
  const at = (timeZone: string, dateStyle?: 'medium') => new Intl.DateTimeFormat('en-GB', { dateStyle, timeStyle: 'short', timeZone }).format(s.startsAt);
  if (recipientZone === s.timeZone) return `Moved: ${s.title} is now on ${at(s.timeZone, 'medium')} (${s.timeZone})`;
  const day = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone }).format(s.startsAt);
  // The session's own time with its date when that falls on another day (00:30 in Tokyo is the evening before in London).
  const there = day(recipientZone) === day(s.timeZone) ? at(s.timeZone) : at(s.timeZone, 'medium');
  return `Moved: ${s.title} is now on ${at(recipientZone, 'medium')} your time (${recipientZone}), ${there} in ${s.timeZone}`;
}
