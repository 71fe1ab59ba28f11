/** Converting between `<input type="datetime-local">` values and ISO instants with an offset. */

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** Minutes that `timeZone` is ahead of UTC at `instant` (the browser's zone when omitted). */
function offsetMinutes(instant: number, timeZone?: string): number {
  if (!timeZone) return -new Date(instant).getTimezoneOffset();
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(instant));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
  } catch {
    return -new Date(instant).getTimezoneOffset();
  }
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

/**
 * "2026-03-03T09:00" read as a wall-clock time in `timeZone` (the browser's zone when
 * omitted) → "2026-03-03T09:00:00+00:00". Empty or malformed input gives ''.
 */
export function inputToIso(value: string, timeZone?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return '';
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the wall time, refined once for days when the clocks change.
  let offset = offsetMinutes(wall - offsetMinutes(wall, timeZone) * 60000, timeZone);
  offset = offsetMinutes(wall - offset * 60000, timeZone);
  return `${value}:00${offsetText(offset)}`;
}

/** An ISO instant → the "YYYY-MM-DDTHH:mm" wall-clock time in `timeZone` (browser's zone when omitted). */
export function isoToInput(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '';
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return '';
  const local = new Date(instant + offsetMinutes(instant, timeZone) * 60000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}
