import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, startLoading } from './app/App';
import { paintDocument, themeFromUrl } from './app/theme';

// The theme is known from the URL before the first render, so the first paint is already right.
const initialTheme = themeFromUrl();
paintDocument(initialTheme);
startLoading();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App initialTheme={initialTheme} />
  </StrictMode>,
);
