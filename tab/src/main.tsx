import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, startLoading } from './app/App';
import { PublicPage, publicPageAt, startLoadingPublicPage } from './app/PublicPages';
import { paintDocument, themeFromUrl, themeFromUrlOrSystem } from './app/theme';

// The privacy notice and terms of use are read without signing in, often in a plain browser.
const publicPage = publicPageAt();

// The theme is known from the URL before the first render, so the first paint is already right.
const initialTheme = publicPage ? themeFromUrlOrSystem() : themeFromUrl();
paintDocument(initialTheme);
if (publicPage) startLoadingPublicPage(publicPage);
else startLoading();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    {publicPage ? <PublicPage name={publicPage} theme={initialTheme} /> : <App initialTheme={initialTheme} />}
  </StrictMode>,
);
