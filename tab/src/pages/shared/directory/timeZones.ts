/** IANA time zones for pickers, from the browser's own list (no download). */

let all: string[] | null = null;

/** Every IANA zone this browser knows, sorted, with UTC. */
export function allTimeZones(): string[] {
  if (all) return all;
  let zones: string[] = [];
  try {
    zones = typeof Intl.supportedValuesOf === 'function' ? [...Intl.supportedValuesOf('timeZone')] : [];
  } catch {
    zones = [];
  }
  if (!zones.includes('UTC')) zones.push('UTC');
  all = zones.sort((a, b) => a.localeCompare(b));
  return all;
}

const offsets = new Map<string, string>();

/** The zone's offset from UTC today, e.g. "GMT+1"; empty when the browser does not know it. */
export function zoneOffset(zone: string): string {
  const cached = offsets.get(zone);
  if (cached !== undefined) return cached;
  let offset = '';
  try {
    offset =
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'shortOffset' })
        .formatToParts(new Date())
        .find((part) => part.type === 'timeZoneName')?.value ?? '';
  } catch {
    offset = '';
  }
  offsets.set(zone, offset);
  return offset;
}

/** "America/New_York" → "America/New York": how the zone reads. */
export function zoneLabel(zone: string): string {
  return zone.replace(/_/g, ' ');
}

function fold(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[_/]+/g, ' ');
}

/** Whether every word typed appears in the zone's name or its offset ("new york", "gmt+1"). */
export function zoneMatches(zone: string, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${fold(zone)} ${zoneOffset(zone).toLowerCase()}`;
  return words.every((word) => text.includes(word));
}
