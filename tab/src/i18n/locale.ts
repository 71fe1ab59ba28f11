/**
 * Which language the tab speaks and which locale it formats dates and numbers in. Plain functions,
 * no DOM or Teams access of their own: the callers pass what the address, Teams and the browser say.
 */

/** The languages the tab has messages for; English is complete and the fallback. */
export const SUPPORTED_LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

export interface ResolvedLocale {
  /** The language of the messages shown. */
  language: Language;
  /**
   * The full BCP 47 tag the user asked for, for Intl formatting and `<html lang>`: "en-GB" reads
   * English messages with British dates, "de-AT" German messages with Austrian formats. Its
   * language subtag is always `language`.
   */
  locale: string;
}

export interface LocaleSources {
  /** `?lang=` in the address: for links and tests; wins over everything else. */
  requested?: string | null;
  /** Inside Teams: the app context's `app.locale`, e.g. "de-de". */
  teams?: string | null;
  /** The browser's preferences (`navigator.languages`), most preferred first. */
  browser?: readonly string[];
}

export function isSupportedLanguage(value: string): value is Language {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/** "de-de" → "de-DE"; null for anything that is not a well-formed language tag. */
function canonicalTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * The first of `?lang=`, the Teams locale and the browser's languages whose language the tab
 * speaks (matched on the language subtag alone: de-DE and de-AT are German), else English.
 */
export function resolveLocale({ requested, teams, browser = [] }: LocaleSources): ResolvedLocale {
  for (const candidate of [requested, teams, ...browser]) {
    if (!candidate) continue;
    const locale = canonicalTag(candidate);
    const language = locale?.split('-')[0]?.toLowerCase();
    if (locale && language && isSupportedLanguage(language)) return { language, locale };
  }
  return { language: DEFAULT_LANGUAGE, locale: DEFAULT_LANGUAGE };
}
