import type { ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { DEFAULT_LANGUAGE, type LocaleSources } from './locale';
import type { Messages } from './messages';
import { bindProblemWords } from './problemWords';

/** What this page's address and browser say; inside Teams the caller adds the app context's locale. */
export function localeSources(teams: string | null = null): LocaleSources {
  const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
  return { requested: new URLSearchParams(window.location.search).get('lang'), teams, browser };
}

/** Tells browsers, screen readers and translation tools which language the page is in. */
export function setDocumentLanguage(locale: string): void {
  document.documentElement.lang = locale;
}

/**
 * A message that cannot be formatted shows its id; the reason goes to the console in every build
 * (react-intl's default handler is silent in production), where the end-to-end tests look for it.
 */
function reportIntlError(error: Error): void {
  console.error(error.message);
}

/** The tab's strings, dates and numbers in `locale`, with `messages` in its language. */
export function LocaleProvider({
  locale,
  messages,
  children,
}: {
  locale: string;
  messages: Messages;
  children: ReactNode;
}) {
  return (
    <IntlProvider locale={locale} defaultLocale={DEFAULT_LANGUAGE} messages={messages} onError={reportIntlError}>
      <ProblemWords />
      {children}
    </IntlProvider>
  );
}

/** Binds the API's refusals to this language (during render: the children's first requests may fail). */
function ProblemWords() {
  bindProblemWords(useIntl());
  return null;
}
