import Holidays from 'date-holidays';
import { DEFAULT_LADDER, DEFAULT_WEEKEND_DAYS } from '../domain/reminders';
import { sessionWarnings, type HolidayLookup, type PlannedSession, type SessionWarning } from '../domain/session-calendar';
import type { Caller, Deps } from './deps';

/** Public holidays per country and year, read once: the data is static within a release. */
const cache = new Map<string, Map<string, string>>();

function publicHolidays(country: string, year: number): Map<string, string> {
  const key = `${country}/${year}`;
  let days = cache.get(key);
  if (!days) {
    days = new Map();
    const calendar = new Holidays(country);
    for (const h of calendar.getHolidays(year) || []) {
      if (h.type === 'public' && !days.has(h.date.slice(0, 10))) days.set(h.date.slice(0, 10), h.name);
    }
    cache.set(key, days);
  }
  return days;
}

let zones: Map<string, { id: string; name: string }> | null = null;

/** Each time zone's country, from the library's own country data (built once, about 0.1 s). */
function countryOf(timeZone: string): { id: string; name: string } | null {
  if (!zones) {
    zones = new Map();
    for (const [id, name] of Object.entries(new Holidays().getCountries())) {
      for (const zone of new Holidays(id).getTimezones() ?? []) if (!zones.has(zone)) zones.set(zone, { id, name });
    }
  }
  return zones.get(timeZone) ?? null;
}

/** A time zone's country and its national public holidays; zones of no known country have none. */
export const holidayOn: HolidayLookup = (timeZone, localDate) => {
  const country = countryOf(timeZone);
  if (!country) return null;
  const name = publicHolidays(country.id, Number(localDate.slice(0, 4))).get(localDate);
  return name ? { name, region: country.name } : null;
};

/**
 * The owner's design form asks while sessions are planned: which fall on the organisation's
 * weekend, a public holiday, or outside its working day (its quiet hours' complement).
 */
export async function checkSessionDates(deps: Deps, caller: Caller, sessions: readonly PlannedSession[]): Promise<SessionWarning[]> {
  const tenant = await deps.models.Tenant.findOne({ tenantId: caller.tenantId }, { quietHours: 1, weekendDays: 1 }).lean();
  const week = {
    weekendDays: tenant?.weekendDays?.length ? tenant.weekendDays : DEFAULT_WEEKEND_DAYS,
    dayStart: tenant?.quietHours?.end ?? DEFAULT_LADDER.quietEnd,
    dayEnd: tenant?.quietHours?.start ?? DEFAULT_LADDER.quietStart,
  };
  return sessionWarnings(sessions, week, holidayOn);
}
