// First: starts the signed-in start-up's calls and downloads before the modules below run.
import './app/kickoff';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { PublicPage, startLoadingPublicPage } from './app/PublicPages';
import { publicPageAt } from './app/publicPaths';
import { paintDocument, themeFromUrlOrChoice } from './app/theme';
import { LocaleProvider, localeSources, setDocumentLanguage } from './i18n/intl';
import { DEFAULT_LANGUAGE, resolveLocale } from './i18n/locale';
import { englishMessages, loadMessages } from './i18n/messages';

// The privacy notice and terms of use are read without signing in, often in a plain browser.
const publicPage = publicPageAt();

// The theme is known before the first render (URL, saved choice or system), so the first paint is right.
const initialTheme = themeFromUrlOrChoice();
paintDocument(initialTheme);
if (publicPage) startLoadingPublicPage(publicPage);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const render = (content: ReactNode) => createRoot(container).render(<StrictMode>{content}</StrictMode>);

if (publicPage) {
  // The privacy notice and terms are written in English only.
  render(
    <LocaleProvider locale={DEFAULT_LANGUAGE} messages={englishMessages}>
      <PublicPage name={publicPage} theme={initialTheme} />
    </LocaleProvider>,
  );
} else {
  // The address and the browser name the language; inside Teams, App checks the Teams locale too.
  // Another language's messages are a small chunk: the static start-up screen stays until they are in.
  const locale = resolveLocale(localeSources());
  setDocumentLanguage(locale.locale);
  void loadMessages(locale.language).then(
    (messages) => render(<App initialTheme={initialTheme} initialLocale={{ locale, messages }} />),
    () => {
      const english = resolveLocale({});
      setDocumentLanguage(english.locale);
      render(<App initialTheme={initialTheme} initialLocale={{ locale: english, messages: englishMessages }} />);
    },
  );
}
