/**
 * Date, time and duration formatting. The date and time helpers take the locale to format in (the
 * tab's chosen locale, see tab/src/i18n; pages not yet localised leave it out and get the browser's).
 */

const DATE_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The viewer's IANA time zone, e.g. "Europe/Paris". */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when `timeZone` is an IANA zone this browser knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Date and time of an instant as seen in `timeZone` (the viewer's zone when omitted),
 * e.g. "Tue, 3 Mar 2026, 09:00 GMT" in en-GB, "Di., 3. März 2026, 10:00 MEZ" in de (Europe/Berlin).
 * An unknown zone falls back to UTC.
 */
export function formatDateTime(iso: string, timeZone?: string, locale?: string): string {
  const date = parse(iso);
  if (!date) return iso;
  const zone = timeZone && isKnownTimeZone(timeZone) ? timeZone : timeZone ? 'UTC' : undefined;
  return new Intl.DateTimeFormat(locale, { ...DATE_TIME, timeZone: zone }).format(date);
}

/** The same as formatDateTime, split into a date line and a time line for tables. */
export function formatDateTimeParts(
  iso: string,
  timeZone?: string,
  locale?: string,
): { date: string; time: string } {
  const date = parse(iso);
  if (!date) return { date: iso, time: '' };
  const zone = timeZone && isKnownTimeZone(timeZone) ? timeZone : timeZone ? 'UTC' : undefined;
  return {
    date: new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: zone,
    }).format(date),
    time: new Intl.DateTimeFormat(locale, {
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: zone,
    }).format(date),
  };
}

/** A calendar date in the viewer's zone, e.g. "31 March 2026" in en-GB, "31. März 2026" in de. */
export function formatDate(iso: string, locale?: string): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

/** e.g. "45 min", "1 h", "1 h 30 min". */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return '—';
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export function isPast(iso: string | null, now: number = Date.now()): boolean {
  if (!iso) return false;
  const date = parse(iso);
  return date !== null && date.getTime() <= now;
}

/** "role_play" → "Role play", "one-to-one" → "One to one". */
export function humanise(value: string): string {
  const spaced = value.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", then a date. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return iso;
  const seconds = Math.round((now - date.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return days === 1 ? 'yesterday' : `${days} days ago`;
  return formatDate(iso);
}

/** A short age such as "45 s", "3 min", "2 h 5 min". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** A clock time with seconds in the viewer's zone, e.g. "09:41:07". */
export function formatClock(iso: string, locale?: string): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

/** Like formatRelative, but also for instants to come: "in 5 min", "in 3 h", "in 2 days", then a date. */
export function formatFromNow(iso: string, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return iso;
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (seconds <= 0) return formatRelative(iso, now);
  if (seconds < 60) return 'in under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${hours} h`;
  const days = Math.round(hours / 24);
  if (days < 7) return days === 1 ? 'tomorrow' : `in ${days} days`;
  return formatDate(iso);
}
