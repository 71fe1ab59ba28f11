import { useMemo } from 'react';
import { useIntl } from 'react-intl';
import { formatDate, formatDateTime, formatDateTimeParts } from '../lib/datetime';
import type { MessageId } from './messages/en';

/**
 * Dates, durations and ages in the tab's chosen locale, for the localised pages: the datetime
 * helpers with the locale filled in, and the short duration and age words from the messages.
 */
export function useFormat() {
  const intl = useIntl();
  return useMemo(() => {
    const locale = intl.locale;
    const date = (iso: string) => formatDate(iso, locale);
    return {
      locale,
      dateTime: (iso: string, timeZone?: string) => formatDateTime(iso, timeZone, locale),
      dateTimeParts: (iso: string, timeZone?: string) => formatDateTimeParts(iso, timeZone, locale),
      date,
      /** A pulse statement in the tab's language, by its key; the API's English words for one the tab does not know. */
      pulseStatement(key: string, english: string): string {
        const id = `pulse.item.${key}`;
        return id in intl.messages ? intl.formatMessage({ id: id as MessageId }) : english;
      },
      /** e.g. "45 min", "1 h", "1 h 30 min"; "45 Min.", "1 Std. 30 Min." in German. */
      duration(totalMinutes: number): string {
        if (!Number.isFinite(totalMinutes) || totalMinutes <= 0) return '—';
        const hours = Math.floor(totalMinutes / 60);
        const minutes = Math.round(totalMinutes % 60);
        if (hours === 0) return intl.formatMessage({ id: 'format.duration.minutes' }, { minutes });
        return minutes === 0
          ? intl.formatMessage({ id: 'format.duration.hours' }, { hours })
          : intl.formatMessage({ id: 'format.duration.hoursMinutes' }, { hours, minutes });
      },
      /** "just now", "5 min ago", "3 h ago", "yesterday", "2 days ago", then a date. */
      relative(iso: string, now: number = Date.now()): string {
        const then = Date.parse(iso);
        if (Number.isNaN(then)) return iso;
        const seconds = Math.round((now - then) / 1000);
        if (seconds < 60) return intl.formatMessage({ id: 'format.ago.justNow' });
        const minutes = Math.floor(seconds / 60);
        if (minutes < 60) return intl.formatMessage({ id: 'format.ago.minutes' }, { minutes });
        const hours = Math.floor(minutes / 60);
        if (hours < 24) return intl.formatMessage({ id: 'format.ago.hours' }, { hours });
        const days = Math.floor(hours / 24);
        if (days < 7) return intl.formatMessage({ id: 'format.ago.days' }, { days });
        return date(iso);
      },
    };
  }, [intl]);
}
